# An asmjit archive that libtern.so can take in, for a static asmjit (Debian 12 ships no other).
# Sets TERN_ASMJIT_FOR_SHARED_LIBRARY (the archive to link) and the target that makes it,
# tern_asmjit_for_shared_library.
#
# Debian 12 builds libasmjit.a with -fPIE, not -fPIC. PIE code may address data PC-relative as
# if it sat in the executable, which a shared object cannot do for a symbol of another library.
# The archive has one such reference: glibc's `stderr`, in asmjit's debug output (globals.cpp),
# and the link stops there ("relocation R_X86_64_PC32 against symbol `stderr' can not be used
# when making a shared object"). So libtern.so links a copy of the archive in which that symbol
# is renamed to tern_asmjit_stderr, a hidden variable of libtern.so that holds glibc's stderr
# (asmjit_stderr.cpp). An archive built -fPIC is renamed just the same, harmlessly; one with
# other position-dependent references fails the link of libtern.so with the linker's message
# (TERN_SHARED_LIBRARY=OFF then builds libtern.a alone).
get_target_property(_tern_asmjit_archive asmjit::asmjit IMPORTED_LOCATION)
if(NOT _tern_asmjit_archive)
  get_target_property(_tern_asmjit_configs asmjit::asmjit IMPORTED_CONFIGURATIONS)
  list(GET _tern_asmjit_configs 0 _tern_asmjit_config)
  get_target_property(_tern_asmjit_archive asmjit::asmjit IMPORTED_LOCATION_${_tern_asmjit_config})
endif()
if(NOT CMAKE_OBJCOPY)
  message(FATAL_ERROR "libtern.so with the JIT needs objcopy (binutils) to adapt ${_tern_asmjit_archive}")
endif()
set(TERN_ASMJIT_FOR_SHARED_LIBRARY ${PROJECT_BINARY_DIR}/third_party/libasmjit-for-libtern.a)
add_custom_command(
  OUTPUT ${TERN_ASMJIT_FOR_SHARED_LIBRARY}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/third_party
  COMMAND ${CMAKE_OBJCOPY} --redefine-sym stderr=tern_asmjit_stderr ${_tern_asmjit_archive}
          ${TERN_ASMJIT_FOR_SHARED_LIBRARY}
  DEPENDS ${_tern_asmjit_archive}
  COMMENT "Renaming stderr in a copy of ${_tern_asmjit_archive} for libtern.so"
  VERBATIM)
add_custom_target(tern_asmjit_for_shared_library DEPENDS ${TERN_ASMJIT_FOR_SHARED_LIBRARY})
