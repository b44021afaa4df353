// Charts drawn for real: PNGs decode at the stated size and show the bars, SVGs carry every
// label and value as text, PDFs are PDFs, and the layout keeps text apart even with 40
// categories of 60-character names.
import Imaging
import Testing
@testable import Charts

@Suite struct RenderingTests {
    /// REAL and GEN with `categories` categories named by `name`, shares falling with the index.
    static func comparison(categories: Int, name: (Int) -> String = { "category \($0)" }) -> Comparison {
        var real = DatasetTally(name: "REAL"), gen = DatasetTally(name: "GEN")
        for image in 0..<400 {
            real.add(ImageEntry(id: "r\(image)", path: nil, categories: [name(image % (image % 7 + categories) % categories)]), keep: false)
            gen.add(ImageEntry(id: "g\(image)", path: nil, categories: [name((image * 7 + 3) % categories)]), keep: false)
        }
        real.failed = 3
        return Comparison(datasets: [real, gen])
    }

    static func scene(_ comparison: Comparison, _ options: ChartOptions) -> (BarChart, Scene) {
        let chart = BarChart(comparison, options: options)
        return (chart, BarChartLayout(measurer: try! CairoTextMeasurer()).layout(chart))
    }

    @Test func pngHasTheStatedSizeAndShowsTheBars() throws {
        let (_, scene) = Self.scene(Self.comparison(categories: 8), ChartOptions(kind: .percent, showIntervals: true))
        let bytes = try SceneRenderer.render(scene, as: .png, scale: 2)
        let image = try PNGCodec.decodeRGB(bytes)
        #expect(image.width == Int((scene.width * 2).rounded(.up)))
        #expect(image.height == Int((scene.height * 2).rounded(.up)))
        var white = 0, realBlue = 0, genOrange = 0
        for offset in stride(from: 0, to: image.pixels.count, by: 3) {
            let pixel = (image.pixels[offset], image.pixels[offset + 1], image.pixels[offset + 2])
            if pixel == (255, 255, 255) { white += 1 }
            if pixel == (0x00, 0x72, 0xB2) { realBlue += 1 }
            if pixel == (0xE6, 0x9F, 0x00) { genOrange += 1 }
        }
        let pixels = image.width * image.height
        #expect(white < pixels * 95 / 100, "mostly blank")
        #expect(realBlue > 2000 && genOrange > 2000, "the datasets' bars are missing")
    }

    @Test func svgContainsEveryLabelAndValueAsText() {
        let names = ["people", "food & drinks", "text <or> \"document\"", "night scene", "art"]
        let comparison = Self.comparison(categories: names.count) { names[$0] }
        let (chart, scene) = Self.scene(comparison, ChartOptions(kind: .percent))
        let svg = String(decoding: try! SceneRenderer.render(scene, as: .svg), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(chart.groups.count == names.count)
        for group in chart.groups {
            #expect(svg.contains(">\(HTMLText.escape(group.label))</text>"), "label \(group.label)")
            for bar in group.bars { #expect(svg.contains(">\(bar.label)</text>"), "value \(bar.label)") }
        }
        #expect(!svg.contains("<or>"))
        #expect(svg.contains(">REAL</text>") && svg.contains(">GEN</text>"))
    }

    @Test func pdfIsAPDF() throws {
        let (_, scene) = Self.scene(Self.comparison(categories: 5), ChartOptions(kind: .counts))
        let bytes = try SceneRenderer.render(scene, as: .pdf)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(bytes.count > 1000)
    }

    /// Texts that share any area, as pairs of strings.
    static func overlappingTexts(_ scene: Scene) -> [(String, String)] {
        let texts = scene.texts
        var pairs: [(String, String)] = []
        for i in texts.indices {
            for j in texts.indices where j > i && texts[i].bounds.overlaps(texts[j].bounds) {
                pairs.append((texts[i].text, texts[j].text))
            }
        }
        return pairs
    }

    @Test(arguments: [ChartKind.percent, .counts, .single])
    func fortyCategoriesWithSixtyCharacterNamesDoNotOverlap(kind: ChartKind) {
        let name = { (index: Int) -> String in
            let stem = "category number \(index) with a long descriptive name "
            return String((stem + String(repeating: "x", count: 60)).prefix(60))
        }
        let comparison = Self.comparison(categories: 40, name: name)
        let (chart, scene) = Self.scene(comparison, ChartOptions(kind: kind, top: 40, showIntervals: true, markSignificant: true))
        #expect(chart.groups.count == 40)
        #expect(chart.groups.allSatisfy { $0.label.count == 60 })
        let overlaps = Self.overlappingTexts(scene)
        #expect(overlaps.count == 0, "\(overlaps.prefix(3))")
        let canvas = Rect(x: 0, y: 0, width: scene.width, height: scene.height)
        let outside = scene.texts.filter { !canvas.contains($0.bounds) }.map(\.text)
        #expect(outside.count == 0, "cut off: \(outside.prefix(3))")
        // No text lies on a bar (bars are the rectangles in the datasets' colours).
        let bars = scene.items.compactMap { item -> Rect? in
            if case .rectangle(let rect, let fill) = item, Palette.okabeIto.contains(fill), rect.width > 11 { return rect }
            return nil
        }
        #expect(bars.count >= 40)
        // No text on a bar, but a value label inside its own bar's end; none on a whisker.
        let valueLabels = Set(chart.groups.flatMap { $0.bars.map(\.label) })
        let onBars = scene.texts.filter { text in
            bars.contains { bar in
                bar.overlaps(text.bounds) && !(valueLabels.contains(text.text) && bar.x < text.bounds.x && text.bounds.maxX <= bar.maxX)
            }
        }.map(\.text)
        #expect(onBars.count == 0, "text on a bar: \(onBars.prefix(3))")
        let onWhiskers = scene.texts.filter { text in Self.whiskerBoxes(scene).contains { $0.overlaps(text.bounds) } }.map(\.text)
        #expect(onWhiskers.count == 0, "text on a whisker: \(onWhiskers.prefix(3))")
    }

    /// The boxes whiskers cover: each horizontal whisker line with its caps' height and width.
    static func whiskerBoxes(_ scene: Scene) -> [Rect] {
        let cap = BarChartLayout.Style().barThickness * 0.3
        return scene.items.compactMap { item -> Rect? in
            guard case .line(let x1, let y1, let x2, let y2, let color, _) = item, y1 == y2, color == Color(hex: 0x333333) else { return nil }
            return Rect(x: min(x1, x2) - 0.5, y: y1 - cap, width: abs(x2 - x1) + 1, height: 2 * cap)
        }
    }

    /// Each bar with the value label in its row.
    static func barsWithLabels(_ scene: Scene) -> [(bar: Rect, label: TextItem)] {
        let bars = scene.items.compactMap { item -> Rect? in
            if case .rectangle(let rect, let fill) = item, Palette.okabeIto.contains(fill), rect.width > 11 { return rect }
            return nil
        }
        return bars.compactMap { bar in
            let middle = bar.y + bar.height / 2
            let label = scene.texts.first { $0.bounds.y < middle && $0.bounds.maxY > middle && $0.bounds.x > bar.x + 1 }
            return label.map { (bar, $0) }
        }
    }

    @Test func valueLabelsSitAtTheBarsEndClearOfTheWhisker() {
        let comparison = Self.comparison(categories: 4)
        // Without whiskers: just past the bar's end.
        let (_, plain) = Self.scene(comparison, ChartOptions(kind: .percent))
        let plainPairs = Self.barsWithLabels(plain)
        #expect(plainPairs.count == 8)
        for (bar, label) in plainPairs { #expect(abs(label.bounds.x - (bar.maxX + 5)) < 0.01, "\(label.text)") }
        // With whiskers reaching past the bars: inside the bar's end, left of the whisker, readable on the fill.
        let (_, whiskered) = Self.scene(comparison, ChartOptions(kind: .percent, showIntervals: true))
        let pairs = Self.barsWithLabels(whiskered)
        let whiskers = Self.whiskerBoxes(whiskered)
        #expect(pairs.count == 8 && whiskers.count == 8)
        for (bar, label) in pairs {
            #expect(label.bounds.maxX <= bar.maxX && label.bounds.x > bar.x, "\(label.text) not inside its bar")
            // Right against the whisker's low cap (with the value gap), so no closer to the bar's end can it be.
            let row = whiskers.first { abs($0.y + $0.height / 2 - (bar.y + bar.height / 2)) < 0.01 }
            #expect(row.map { abs(label.bounds.maxX - ($0.x - 5)) < 0.01 } == true, "\(label.text) not at the whisker's low cap")
            #expect(!whiskers.contains { $0.overlaps(label.bounds) }, "\(label.text) on a whisker")
        }
        let colors = pairs.map(\.label.color)
        #expect(colors.filter { $0 == Color(hex: 0xFFFFFF) }.count == 4 && colors.filter { $0 == .text }.count == 4,
                "white on blue, dark on orange")
        // A bar too short to hold its label: past the whisker's cap, clear of it.
        var small = DatasetTally(name: "REAL"), other = DatasetTally(name: "GEN")
        for image in 0..<40 {
            small.add(ImageEntry(id: "r\(image)", path: nil, categories: [image == 0 ? "rare" : "common"]), keep: false)
            other.add(ImageEntry(id: "g\(image)", path: nil, categories: ["common"]), keep: false)
        }
        let (_, rare) = Self.scene(Comparison(datasets: [small, other]), ChartOptions(kind: .percent, showIntervals: true))
        let rareLabel = rare.texts.first { $0.text == "2.5%" }
        let rareWhisker = Self.whiskerBoxes(rare).filter { box in rareLabel.map { abs(box.y + box.height / 2 - ($0.bounds.y + $0.bounds.height / 2)) < 4 } ?? false }
        #expect(rareLabel != nil && rareWhisker.count == 1)
        if let rareLabel, let box = rareWhisker.first {
            #expect(rareLabel.bounds.x >= box.maxX + 4.9, "past the whisker's cap")
            #expect(rareLabel.color == .text)
        }
    }

    @Test func aLongTitleWidensTheCanvasInsteadOfBeingCut() {
        let title = String(repeating: "A very long title that goes on ", count: 6)
        let (_, scene) = Self.scene(Self.comparison(categories: 3), ChartOptions(kind: .percent, title: title))
        let titleText = scene.texts.first { $0.text == title }
        #expect(titleText != nil)
        #expect((titleText?.bounds.maxX ?? .infinity) <= scene.width - 20)
    }

    @Test func datasetsKeepTheirColoursAndIntervalsAreDrawn() {
        let (chart, scene) = Self.scene(Self.comparison(categories: 4), ChartOptions(kind: .percent, showIntervals: true))
        #expect(chart.series.map(\.color) == [Color(hex: 0x0072B2), Color(hex: 0xE69F00)])
        let whiskers = scene.items.filter { item in
            if case .line(_, let y1, _, let y2, let color, _) = item { return y1 == y2 && color == Color(hex: 0x333333) }
            return false
        }
        #expect(whiskers.count == chart.groups.count * 2)
    }

    @Test func topLimitsTheGroupsAndTheSubtitleSaysSo() {
        let (chart, _) = Self.scene(Self.comparison(categories: 30), ChartOptions(kind: .counts, top: 7))
        #expect(chart.groups.count == 7)
        #expect(chart.subtitles.contains("Top 7 of 30 categories, ranked by REAL"))
        #expect(chart.subtitles.first?.contains("REAL: 400 images (3 failed, not counted)") == true)
    }

    @Test(arguments: [(0.0, true, 10.0), (18.4, true, 20.0), (97.0, true, 100.0), (219.0, false, 250.0), (3.0, false, 3.0)])
    func axisEndsAtARoundNumber(maximum: Double, percent: Bool, expected: Double) {
        let axis = NiceAxis(maximum: maximum, percent: percent)
        #expect(axis.maximum == expected)
        #expect(axis.ticks.first == 0 && axis.ticks.last == expected)
        #expect((4...11).contains(axis.ticks.count))
    }
}
