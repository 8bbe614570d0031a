# asmjit: the x86-64 assembler under the baseline JIT (jit/x64). Optional: without it the
# engine is interpreter-only. Tested with the 1.9 series (Debian 12: libasmjit-dev
# 0.0~git20221210, ASMJIT_LIBRARY_VERSION 1.9.0), which Debian ships as a static library only.
#
# Found with find_package(asmjit CONFIG) (its asmjit-config.cmake; set asmjit_DIR or
# CMAKE_PREFIX_PATH for another copy). asmjit installs no version file, so the version is read
# from its header. Sets asmjit_FOUND and, when found, the imported target asmjit::asmjit.
# Set TERN_ASMJIT_REQUIRED to stop with an error instead of going on without the JIT.
if(NOT TARGET asmjit::asmjit)
  find_package(asmjit CONFIG QUIET)
endif()
if(NOT TARGET asmjit::asmjit)
  set(_tern_asmjit_missing
      "asmjit not found: install libasmjit-dev (scripts/install-deps.sh) or point asmjit_DIR at "
      "a directory holding asmjit-config.cmake")
  if(TERN_ASMJIT_REQUIRED)
    message(FATAL_ERROR ${_tern_asmjit_missing} ".")
  endif()
  message(STATUS ${_tern_asmjit_missing} "; the JIT tier is not built.")
  return()
endif()

get_target_property(_tern_asmjit_includes asmjit::asmjit INTERFACE_INCLUDE_DIRECTORIES)
find_file(_tern_asmjit_config asmjit/core/api-config.h PATHS ${_tern_asmjit_includes} NO_DEFAULT_PATH
          NO_CACHE)
if(_tern_asmjit_config)
  file(STRINGS ${_tern_asmjit_config} _tern_asmjit_version REGEX "#define ASMJIT_LIBRARY_VERSION ")
  if(NOT _tern_asmjit_version MATCHES "0x0109[0-9a-fA-F][0-9a-fA-F]")
    message(WARNING "asmjit is not from the 1.9 series Tern is tested with (${_tern_asmjit_version})")
  endif()
endif()
