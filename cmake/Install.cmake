# `cmake --install` lays FrameScope out like a Linux application, and `cpack -G DEB` packages that layout:
# bin/framescope and bin/framescope-cli, the .desktop file, the icon in the hicolor theme (SVG and PNG
# sizes), and man pages. Nothing else is installed (no static libraries, tests, demos or peers).
include(GNUInstallDirs)

install(TARGETS framescope framescope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The malloc counter `framescope-cli bench` preloads into itself (bin/../lib/framescope/, where it looks).
if(TARGET framescope_malloc_count)
  install(TARGETS framescope_malloc_count LIBRARY DESTINATION lib/framescope)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/resources/framescope.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/framescope.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 16 22 24 32 48 64 128 256 512)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/app/framescope-${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME framescope.png)
endforeach()

# Man pages carry the version; Debian wants them compressed.
find_program(FRAMESCOPE_GZIP gzip REQUIRED)
set(FRAMESCOPE_MAN_PAGES "")
foreach(page framescope.1 framescope-cli.1)
  set(FRAMESCOPE_VERSION ${PROJECT_VERSION})
  configure_file(${PROJECT_SOURCE_DIR}/resources/man/${page} ${CMAKE_BINARY_DIR}/man/${page} @ONLY)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.gz
                     COMMAND ${FRAMESCOPE_GZIP} -9nf -k ${CMAKE_BINARY_DIR}/man/${page}
                     DEPENDS ${CMAKE_BINARY_DIR}/man/${page} VERBATIM)
  list(APPEND FRAMESCOPE_MAN_PAGES ${CMAKE_BINARY_DIR}/man/${page}.gz)
endforeach()
add_custom_target(framescope_man_pages ALL DEPENDS ${FRAMESCOPE_MAN_PAGES})
install(FILES ${FRAMESCOPE_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The Debian package: its dependencies come from the binaries (dpkg-shlibdeps, from dpkg-dev), so that
# `apt-get install ./framescope_*.deb` pulls in exactly the runtime libraries.
set(CPACK_PACKAGE_NAME framescope)
set(CPACK_PACKAGE_VENDOR "FrameScope")
set(CPACK_PACKAGE_CONTACT "FrameScope developers <dev@framescope.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "WebSocket debugger: live frames, crafted frames, visual benchmarks")
set(CPACK_PACKAGE_DESCRIPTION
    "FrameScope connects to any ws:// or wss:// endpoint and shows every frame in both directions down to\n"
    "its header bits, crafts any frame (valid or deliberately broken), and runs throughput and latency\n"
    "benchmarks drawn as charts. framescope-cli does the same headless.")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# The window draws SVG icons through Qt's SVG image plugin, which no binary links directly.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6")
set(CPACK_STRIP_FILES ON)
include(CPack)
