// The stream asmjit's debug output writes to inside libtern.so: glibc's stderr, under the name
// the archive's copy was given (third_party/asmjit_shared.cmake says why). Hidden, so that the
// archive's PC-relative references to it bind inside the library.
#include <cstdio>

extern "C" {
__attribute__((visibility("hidden"))) extern std::FILE* tern_asmjit_stderr;
std::FILE* tern_asmjit_stderr = stderr;
}
