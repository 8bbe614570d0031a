# fmt: text formatting in the programs around the engine (the tern CLI, the spec runner, the
# micro-benchmarks and the fuzz tools). The engine libraries (engine/, wasi/, jit/) never use it.
# Tested with 9.1 (Debian 12: libfmt-dev 9.1.0).
#
# Found with find_package(fmt 9 CONFIG) (fmt-config.cmake; set fmt_DIR or CMAKE_PREFIX_PATH for
# another copy). Provides fmt::fmt and fmt::fmt-header-only. Debian ships fmt as a shared library
# only, so a program linked with -static (the tern CLI by default) uses fmt::fmt-header-only.
if(NOT TARGET fmt::fmt)
  find_package(fmt 9 CONFIG QUIET)
  if(NOT fmt_FOUND)
    message(FATAL_ERROR
      "fmt 9 not found: install libfmt-dev (scripts/install-deps.sh) or point fmt_DIR at a "
      "directory holding fmt-config.cmake.")
  endif()
endif()
