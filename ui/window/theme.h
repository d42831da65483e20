// Light and dark palettes. System keeps the style and palette the platform gave at start (Qt 6.4 has no
// colour-scheme hint, so widgets simply read palette colours); Light and Dark switch to Fusion with a
// light or dark palette.
#pragma once

#include <QPalette>
#include <QString>

namespace framescope::ui {

enum class Theme : uint8_t { System, Light, Dark };

QString themeName(Theme theme);  // "system", "light", "dark" (the settings value)
Theme themeFromName(const QString& name);
QPalette darkPalette();
// Remembers the platform's style and palette on first call, then applies `theme` to the application.
void applyTheme(Theme theme);
// True when the application palette's window colour is dark.
bool paletteIsDark();

}  // namespace framescope::ui
