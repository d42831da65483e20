// The inspector's Other leg tab for a proxied data frame: the same message on the proxy's other leg, each
// frame with its header bits, its masking key and its bytes as on the wire (hex), so both legs' keys and
// bytes are in sight; or one sentence saying why there is none (dropped, edited, still held, ...).
#pragma once

#include <QWidget>

#include <vector>

#include "widgets/frame_data.h"

class QLabel;
class QVBoxLayout;

namespace framescope::ui {

class HexView;

class OtherLegView : public QWidget {
    Q_OBJECT

public:
    explicit OtherLegView(QWidget* parent = nullptr);

    // `self` is the frame the inspector shows (its key is named beside the other leg's).
    void setOtherLeg(const FrameData& self, const OtherLegData& other);
    void clear();

    // For tests and copy: the heading, the sentence and one line per frame shown.
    QString text() const;
    int frameCount() const { return static_cast<int>(wireViews_.size()); }
    HexView* wireView(int frame) const { return wireViews_.at(static_cast<size_t>(frame)); }

signals:
    void frameActivated(qint64 index);  // a frame's "#N" link: its log number

private:
    QWidget* framePanel(const FrameData& frame);

    QLabel* heading_ = nullptr;
    QLabel* keys_ = nullptr;
    QWidget* framesBox_ = nullptr;
    QVBoxLayout* framesLayout_ = nullptr;
    std::vector<QLabel*> frameLines_;
    std::vector<HexView*> wireViews_;
};

// "3a 9f 01 c2", or "none (unmasked)".
QString maskKeyText(const FrameHeader& header);

}  // namespace framescope::ui
