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

# Fails the configure step when `target` depends on `forbidden`, directly or through any library it
# links (LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES, followed recursively). Call it after the
# target's target_link_libraries; it checks at the end of the configure step, so later additions count.
function(udagram_forbid_dependency target forbidden)
  cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]] CALL _udagram_check_forbidden_dependency [[${target}]] [[${forbidden}]])")
endfunction()

function(_udagram_check_forbidden_dependency target forbidden)
  set(pending ${target})
  set(seen "")
  while(pending)
    list(POP_FRONT pending current)
    if(current IN_LIST seen OR NOT TARGET ${current})
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(aliased ${current} ALIASED_TARGET)
    if(aliased)
      list(APPEND pending ${aliased})
    endif()
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(linked ${current} ${property})
      if(NOT linked)
        continue()
      endif()
      foreach(library IN LISTS linked)
        # $<LINK_ONLY:x> (how a static library records its PRIVATE links) and other wrappers.
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" library "${library}")
        if(library STREQUAL forbidden)
          message(FATAL_ERROR "${target} must not depend on ${forbidden} (found through ${current})")
        endif()
        list(APPEND pending ${library})
      endforeach()
    endforeach()
  endwhile()
endfunction()
