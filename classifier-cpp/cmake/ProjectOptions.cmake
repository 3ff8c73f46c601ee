# Warnings (as errors) and optional sanitizers for the targets we own only; third-party headers come
# in through imported targets, which CMake treats as SYSTEM, so their warnings do not fail our build.
function(udagram_apply_project_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Werror)
  if(ENABLE_SANITIZERS)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
