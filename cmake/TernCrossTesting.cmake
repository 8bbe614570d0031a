# Running the tests of a cross build (cmake/toolchains/) under CMAKE_CROSSCOMPILING_EMULATOR.
#
# add_test(COMMAND target) goes through the emulator by itself, but a test that hands a built
# program to a script (expect.cmake, the shell scripts) must hand it a command the host can run:
# tern_test_program(VAR TARGET) sets VAR to that command, the program itself in a native build
# and a wrapper script that execs the emulator on it in a cross build.
#
# TERN_TEST_PREFIX starts the name of every test that runs a built program: "a64/" in an AArch64
# cross build, so that `ctest -R a64` selects the pass under the emulator; empty otherwise, so a
# native build's test names do not change.
set(TERN_TEST_PREFIX "")
set(TERN_TEST_EMULATOR "")
if(CMAKE_CROSSCOMPILING)
  if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    message(FATAL_ERROR "A cross build runs its tests under CMAKE_CROSSCOMPILING_EMULATOR "
                        "(set by cmake/toolchains/*.cmake); it is not set")
  endif()
  set(TERN_TEST_EMULATOR "${CMAKE_CROSSCOMPILING_EMULATOR}")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(TERN_TEST_PREFIX "a64/")
  else()
    set(TERN_TEST_PREFIX "${CMAKE_SYSTEM_PROCESSOR}/")
  endif()
endif()

function(tern_test_program var target)
  if(NOT TERN_TEST_EMULATOR)
    set(${var} $<TARGET_FILE:${target}> PARENT_SCOPE)
    return()
  endif()
  set(wrapper ${PROJECT_BINARY_DIR}/emulated/${target})
  get_property(generated GLOBAL PROPERTY TERN_EMULATED_PROGRAMS)
  if(NOT target IN_LIST generated)
    # exec: the test sees the emulator's process as the program's (signals, /proc/PID).
    list(JOIN TERN_TEST_EMULATOR "\" \"" emulator)
    file(GENERATE OUTPUT ${wrapper}
         CONTENT "#!/bin/sh\nexec \"${emulator}\" \"$<TARGET_FILE:${target}>\" \"$@\"\n"
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                          WORLD_READ WORLD_EXECUTE)
    set_property(GLOBAL APPEND PROPERTY TERN_EMULATED_PROGRAMS ${target})
  endif()
  set(${var} ${wrapper} PARENT_SCOPE)
endfunction()
