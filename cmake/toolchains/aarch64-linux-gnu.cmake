# Cross build for Linux/AArch64 with Debian's g++-aarch64-linux-gnu; CTest runs the binaries
# under qemu-user (scripts/test-aarch64.sh installs both). Libraries come from the arm64
# multiarch packages (libasmjit-dev:arm64, libfmt-dev:arm64).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# No -L /usr/aarch64-linux-gnu: its ld.so (libc6-arm64-cross) would load libc and libstdc++ from
# /lib/aarch64-linux-gnu (libc6:arm64, which the arm64 packages pull in), a different glibc
# build, and a program that starts a thread then hangs. The multiarch ld.so and libraries match.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
