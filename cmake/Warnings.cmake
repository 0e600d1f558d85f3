# One place for compiler flags shared by every nkappa target.
add_library(nkappa_warnings INTERFACE)
target_compile_options(nkappa_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                       -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast
                       # GCC 12 reports false -Wrestrict positives inside std::string (GCC bug 105329).
                       -Wno-restrict)
if(NKAPPA_WERROR)
  target_compile_options(nkappa_warnings INTERFACE -Werror)
endif()
if(NKAPPA_SANITIZE)
  target_compile_options(nkappa_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(nkappa_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(NKAPPA_NATIVE)
  target_compile_options(nkappa_warnings INTERFACE -march=native)
endif()
