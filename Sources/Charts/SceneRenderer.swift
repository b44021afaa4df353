// SceneRenderer: a Scene to file bytes — PNG and PDF drawn by cairo, SVG written as text
// (real <text> elements, so labels stay searchable and several charts can share one page).

/// The file formats a chart can be written in.
public enum ChartFormat: String, Sendable, CaseIterable {
    case png, svg, pdf

    /// The format named by a file's extension, or nil.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }
}

public enum SceneRenderer {
    /// The file's bytes in `format`; PNGs get `scale` pixels per point.
    public static func render(_ scene: Scene, as format: ChartFormat, scale: Double = 2) throws(ChartError) -> [UInt8] {
        switch format {
        case .png: return try drawWithCairo(scene, kind: .png(scale: scale))
        case .pdf: return try drawWithCairo(scene, kind: .pdf)
        case .svg: return Array(SVGWriter.document(scene).utf8)
        }
    }

    private static func drawWithCairo(_ scene: Scene, kind: CairoCanvas.Kind) throws(ChartError) -> [UInt8] {
        let canvas = try CairoCanvas(kind: kind, width: scene.width, height: scene.height)
        canvas.fill(Rect(x: 0, y: 0, width: scene.width, height: scene.height), color: .background)
        for item in scene.items {
            switch item {
            case .rectangle(let rect, let fill):
                canvas.fill(rect, color: fill)
            case .line(let x1, let y1, let x2, let y2, let color, let width):
                canvas.strokeLine(x1: x1, y1: y1, x2: x2, y2: y2, color: color, width: width)
            case .text(let text):
                canvas.drawText(text.text, x: text.bounds.x, baseline: text.baseline, font: text.font, color: text.color)
            }
        }
        return try canvas.finish()
    }
}

/// Measures text with the fonts the charts are drawn in.
public protocol TextMeasuring {
    /// The advance width of `text` in `font`.
    func width(of text: String, font: Font) -> Double
    /// The height above and below the baseline of a line in `font`.
    func verticalMetrics(_ font: Font) -> (ascent: Double, descent: Double)
}

/// Measures with cairo and DejaVu Sans, exactly as the PNG and PDF renderers draw.
public final class CairoTextMeasurer: TextMeasuring {
    private let canvas: CairoCanvas

    public init() throws(ChartError) {
        canvas = try CairoCanvas(kind: .measuring, width: 1, height: 1)
    }

    public func width(of text: String, font: Font) -> Double {
        canvas.width(of: text, font: font)
    }

    public func verticalMetrics(_ font: Font) -> (ascent: Double, descent: Double) {
        canvas.verticalMetrics(font)
    }
}
