# framescope_require_qt(COMPONENT...): finds Qt 6 with every component named, or stops configure with one
# sentence naming the Debian packages that bring what is missing (bash .ci/dev.sh installs them all).
function(framescope_require_qt)
  set(package_Core qt6-base-dev)
  set(package_Network qt6-base-dev)
  set(package_Widgets "qt6-base-dev libgl-dev")
  set(package_Test qt6-base-dev)
  # Qt Charts' CMake package needs Qt OpenGL Widgets, which qt6-charts-dev does not pull in.
  set(package_Charts "qt6-charts-dev libqt6opengl6-dev")
  find_package(Qt6 6.4 QUIET COMPONENTS ${ARGN})
  set(missing_components "")
  set(missing_packages "")
  foreach(component IN LISTS ARGN)
    if(NOT Qt6${component}_FOUND)
      list(APPEND missing_components "Qt ${component}")
      list(APPEND missing_packages ${package_${component}})
    endif()
  endforeach()
  if(missing_components)
    string(REPLACE " " ";" missing_packages "${missing_packages}")
    list(REMOVE_DUPLICATES missing_packages)
    list(JOIN missing_components ", " components_text)
    list(JOIN missing_packages " " packages_text)
    message(FATAL_ERROR "FrameScope needs ${components_text}, which CMake did not find: install the Debian "
                        "packages ${packages_text} (sudo apt-get install ${packages_text}, or run "
                        "'bash .ci/dev.sh test', which installs everything), or configure with "
                        "-DFRAMESCOPE_CORE_ONLY=ON to build only the Qt-free codec.")
  endif()
endfunction()
