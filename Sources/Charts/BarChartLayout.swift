// BarChartLayout: places a BarChart — title, legend, category labels, bars, value labels,
// ticks, notes — and sizes the canvas from what it measured, so nothing overlaps or is cut.
import Glibc

/// Turns a BarChart into a Scene.
public struct BarChartLayout {
    /// Sizes in points.
    public struct Style: Sendable {
        public var margin = 24.0
        public var titleFont = Font(size: 17, bold: true)
        public var subtitleFont = Font(size: 12)
        public var legendFont = Font(size: 12)
        public var labelFont = Font(size: 12)
        public var markedLabelFont = Font(size: 12, bold: true)
        public var valueFont = Font(size: 10.5)
        public var tickFont = Font(size: 10.5)
        public var axisLabelFont = Font(size: 12)
        public var noteFont = Font(size: 10.5)
        /// The bars' area, before it grows to fill a canvas widened by a long title.
        public var plotWidth = 520.0
        public var barThickness = 13.0
        public var barGap = 2.0
        public var groupGap = 10.0
        public var labelGap = 10.0
        public var valueGap = 5.0
        /// Labels longer than this many characters end in "…".
        public var maximumLabelLength = 100

        public init() {}
    }

    public var style: Style
    let measurer: TextMeasuring

    public init(measurer: TextMeasuring, style: Style = Style()) {
        self.measurer = measurer
        self.style = style
    }

    public func layout(_ chart: BarChart) -> Scene {
        let m = style.margin
        let labels = chart.groups.map { group in
            (text: clipped(group.label) + (group.marked ? " *" : ""), font: group.marked ? style.markedLabelFont : style.labelFont)
        }
        let labelColumn = labels.map { measurer.width(of: $0.text, font: $0.font) }.max() ?? 0
        let axis = NiceAxis(maximum: chart.groups.flatMap(\.bars).map { max($0.value, $0.interval?.high ?? 0) }.max() ?? 0,
                            percent: chart.percentAxis)
        let valueColumn = (chart.groups.flatMap(\.bars).map { measurer.width(of: $0.label, font: style.valueFont) }.max() ?? 0) + style.valueGap
        let lastTickHalf = measurer.width(of: axis.label(axis.maximum), font: style.tickFont) / 2

        let headerLines = [(chart.title, style.titleFont)] + chart.subtitles.map { ($0, style.subtitleFont) }
            + chart.notes.map { ($0, style.noteFont) }
        let headerWidth = headerLines.map { measurer.width(of: $0.0, font: $0.1) }.max() ?? 0
        let legendWidth = legendItemWidths(chart).reduce(0, +)
        let plotLeft = m + labelColumn + style.labelGap
        let contentWidth = plotLeft + style.plotWidth + max(valueColumn, lastTickHalf) + m
        let width = max(contentWidth, m + max(headerWidth, legendWidth) + m).rounded(.up)
        let plotWidth = style.plotWidth + (width - contentWidth)

        var scene = Scene(width: width, height: 0)
        scene.title = ([chart.title] + chart.subtitles).joined(separator: ". ")
        var y = m
        y = addLine(chart.title, font: style.titleFont, color: .text, x: m, top: y, to: &scene) + 6
        for subtitle in chart.subtitles where !subtitle.isEmpty {
            y = addLine(subtitle, font: style.subtitleFont, color: .mutedText, x: m, top: y, to: &scene) + 3
        }
        if chart.series.count > 1 { y = addLegend(chart, top: y + 8, width: width, to: &scene) }
        // The category axis' title, over the labels' right edge.
        y = addText(chart.categoryAxisLabel, font: style.tickFont, color: .mutedText, x: plotLeft - style.labelGap, top: y + 12,
                    anchor: .end, to: &scene)
        let plotTop = y + 4

        let pitch = max(style.barThickness, lineHeight(style.valueFont)) + style.barGap
        let groupHeight = Double(max(1, chart.series.count)) * pitch - style.barGap
        let plotHeight = Double(chart.groups.count) * (groupHeight + style.groupGap)
        let xOf = { (value: Double) in plotLeft + value / axis.maximum * plotWidth }

        // Bands behind every other group, then gridlines, so bars and text sit on top.
        for index in chart.groups.indices where index % 2 == 1 {
            let top = plotTop + Double(index) * (groupHeight + style.groupGap)
            scene.items.append(.rectangle(Rect(x: plotLeft, y: top, width: plotWidth, height: groupHeight + style.groupGap),
                                          fill: Color(hex: 0xF5F6F8)))
        }
        for tick in axis.ticks {
            let x = xOf(tick)
            scene.items.append(.line(x1: x, y1: plotTop, x2: x, y2: plotTop + plotHeight + 4,
                                     color: tick == 0 ? .axis : .grid, width: tick == 0 ? 1 : 0.8))
        }

        for (index, group) in chart.groups.enumerated() {
            let top = plotTop + Double(index) * (groupHeight + style.groupGap) + style.groupGap / 2
            let labelTop = top + (groupHeight - lineHeight(labels[index].font)) / 2
            addText(labels[index].text, font: labels[index].font, color: .text, x: plotLeft - style.labelGap, top: labelTop,
                    anchor: .end, to: &scene)
            for (seriesIndex, bar) in group.bars.enumerated() {
                let rowTop = top + Double(seriesIndex) * pitch
                let barTop = rowTop + (pitch - style.barGap - style.barThickness) / 2
                let barEnd = xOf(bar.value)
                if bar.value > 0 {
                    scene.items.append(.rectangle(Rect(x: plotLeft, y: barTop, width: barEnd - plotLeft, height: style.barThickness),
                                                  fill: chart.series[seriesIndex].color))
                }
                let whisker = bar.interval.map { (low: xOf($0.low), high: xOf($0.high)) }
                if let whisker { addWhisker(from: whisker.low, to: whisker.high, middle: barTop + style.barThickness / 2, to: &scene) }
                let place = valueLabelPlace(bar.label, barEnd: barEnd, plotLeft: plotLeft, whisker: whisker,
                                            barColor: chart.series[seriesIndex].color)
                let valueTop = rowTop + (pitch - style.barGap - lineHeight(style.valueFont)) / 2
                addText(bar.label, font: style.valueFont, color: place.color, x: place.x, top: valueTop, anchor: place.anchor, to: &scene)
            }
        }

        var bottom = plotTop + plotHeight + 6
        for tick in axis.ticks {
            addText(axis.label(tick), font: style.tickFont, color: .mutedText, x: xOf(tick), top: bottom, anchor: .middle, to: &scene)
        }
        bottom += lineHeight(style.tickFont) + 6
        bottom = addText(chart.axisLabel, font: style.axisLabelFont, color: .text, x: plotLeft + plotWidth / 2, top: bottom,
                         anchor: .middle, to: &scene)
        if !chart.notes.isEmpty { bottom += 10 }
        for note in chart.notes {
            bottom = addLine(note, font: style.noteFont, color: .mutedText, x: m, top: bottom, to: &scene) + 2
        }
        scene.height = (bottom + m).rounded(.up)
        // The canvas may have grown past the last value label only to the right.
        scene.width = max(scene.width, ((scene.texts.map(\.bounds.maxX).max() ?? 0) + m).rounded(.up))
        return scene
    }

    // MARK: Pieces

    private func lineHeight(_ font: Font) -> Double {
        let metrics = measurer.verticalMetrics(font)
        return metrics.ascent + metrics.descent
    }

    private func clipped(_ label: String) -> String {
        label.count <= style.maximumLabelLength ? label : String(label.prefix(style.maximumLabelLength - 1)) + "…"
    }

    /// Adds a line of text whose box starts at `top`; returns the box's bottom.
    @discardableResult
    private func addText(_ text: String, font: Font, color: Color, x: Double, top: Double, anchor: TextAnchor,
                         to scene: inout Scene) -> Double {
        let width = measurer.width(of: text, font: font)
        let metrics = measurer.verticalMetrics(font)
        let left: Double
        switch anchor {
        case .start: left = x
        case .middle: left = x - width / 2
        case .end: left = x - width
        }
        let bounds = Rect(x: left, y: top, width: width, height: metrics.ascent + metrics.descent)
        scene.items.append(.text(TextItem(text: text, x: x, baseline: top + metrics.ascent, anchor: anchor, font: font,
                                          color: color, bounds: bounds)))
        return bounds.maxY
    }

    private func addLine(_ text: String, font: Font, color: Color, x: Double, top: Double, to scene: inout Scene) -> Double {
        addText(text, font: font, color: color, x: x, top: top, anchor: .start, to: &scene)
    }

    private func legendItemWidths(_ chart: BarChart) -> [Double] {
        chart.series.map { 11 + 6 + measurer.width(of: $0.name, font: style.legendFont) + 20 }
    }

    /// Swatches and names in rows that wrap at the canvas width; returns the bottom.
    private func addLegend(_ chart: BarChart, top: Double, width: Double, to scene: inout Scene) -> Double {
        let height = lineHeight(style.legendFont)
        var x = style.margin
        var rowTop = top
        for (series, itemWidth) in zip(chart.series, legendItemWidths(chart)) {
            if x > style.margin, x + itemWidth - 20 > width - style.margin {
                x = style.margin
                rowTop += height + 4
            }
            scene.items.append(.rectangle(Rect(x: x, y: rowTop + (height - 11) / 2, width: 11, height: 11), fill: series.color))
            addText(series.name, font: style.legendFont, color: .text, x: x + 17, top: rowTop, anchor: .start, to: &scene)
            x += itemWidth
        }
        return rowTop + height
    }

    /// Where a bar's value label goes: just past the bar's end; when a whisker reaches past the
    /// bar, inside the bar's end left of the whisker (in a colour that reads on the bar) if it
    /// fits there, else past the whisker's cap. Never on the whisker.
    private func valueLabelPlace(_ label: String, barEnd: Double, plotLeft: Double, whisker: (low: Double, high: Double)?,
                                 barColor: Color) -> (x: Double, anchor: TextAnchor, color: Color) {
        // The cap's line is 1 pt wide: half of it lies past the interval's end.
        guard let whisker, whisker.high + 0.5 > barEnd else { return (barEnd + style.valueGap, .start, .text) }
        let room = whisker.low - 0.5 - plotLeft
        if room >= measurer.width(of: label, font: style.valueFont) + 2 * style.valueGap {
            return (whisker.low - 0.5 - style.valueGap, .end, Self.textColor(on: barColor))
        }
        return (whisker.high + 0.5 + style.valueGap, .start, .text)
    }

    /// White on dark fills, the text colour on light ones (by the fill's luma).
    static func textColor(on fill: Color) -> Color {
        0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue < 0.55 ? Color(hex: 0xFFFFFF) : .text
    }

    private func addWhisker(from low: Double, to high: Double, middle: Double, to scene: inout Scene) {
        let color = Color(hex: 0x333333)
        let cap = style.barThickness * 0.3
        scene.items.append(.line(x1: low, y1: middle, x2: high, y2: middle, color: color, width: 1))
        scene.items.append(.line(x1: low, y1: middle - cap, x2: low, y2: middle + cap, color: color, width: 1))
        scene.items.append(.line(x1: high, y1: middle - cap, x2: high, y2: middle + cap, color: color, width: 1))
    }
}

/// An axis from 0 to a round maximum, with 4–8 round ticks.
struct NiceAxis {
    var maximum: Double
    var step: Double
    var percent: Bool

    init(maximum value: Double, percent: Bool) {
        self.percent = percent
        let top = value > 0 ? value : (percent ? 10 : 1)
        let rough = top / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        // Counts are whole numbers: never a step below 1.
        self.step = percent ? step : max(1, step.rounded(.up))
        var maximum = (top / self.step).rounded(.up) * self.step
        if percent, maximum > 100 { maximum = 100 }
        self.maximum = maximum
    }

    var ticks: [Double] {
        let count = Int((maximum / step).rounded(.down))
        return (0...count).map { Double($0) * step }
    }

    func label(_ value: Double) -> String {
        if percent { return NumberText.format("%g", value) + "%" }
        return NumberText.grouped(Int(value.rounded()))
    }
}
