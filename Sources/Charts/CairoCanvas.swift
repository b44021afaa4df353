// CairoCanvas: the one owner of cairo handles (surface and context), freed in deinit. It
// measures text, draws rectangles, lines and text, and hands back PNG or PDF bytes.
import CCairo
import Posix

/// Why a chart could not be drawn or written.
public struct ChartError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A cairo surface with its drawing context.
final class CairoCanvas {
    enum Kind {
        /// An RGB image, `scale` pixels per point.
        case png(scale: Double)
        /// A vector PDF page, one point per scene unit.
        case pdf
        /// A 1×1 image, only for measuring text.
        case measuring
    }

    /// The font family of every chart (Debian's fonts-dejavu-core).
    static let fontFamily = "DejaVu Sans"

    private let kind: Kind
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private let sink = ByteSink()
    private var currentFont: Font?

    init(kind: Kind, width: Double, height: Double) throws(ChartError) {
        self.kind = kind
        switch kind {
        case .png(let scale):
            let pixelWidth = Int32((width * scale).rounded(.up)), pixelHeight = Int32((height * scale).rounded(.up))
            surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pixelWidth, pixelHeight)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        case .measuring:
            surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        }
        context = cairo_create(surface)
        if case .png(let scale) = kind { cairo_scale(context, scale, scale) }
        let options = cairo_font_options_create()
        // Unhinted metrics: a text's width is the same at every size and on every surface, so
        // what the layout measured is what gets drawn.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
        try check("create a \(kind) surface of \(width)×\(height)")
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    // MARK: Text

    func setFont(_ font: Font) {
        guard font != currentFont else { return }
        currentFont = font
        cairo_select_font_face(context, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
    }

    /// The advance width of `text`.
    func width(of text: String, font: Font) -> Double {
        setFont(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The font's ascent and descent (for the height of a line of text).
    func verticalMetrics(_ font: Font) -> (ascent: Double, descent: Double) {
        setFont(font)
        var extents = cairo_font_extents_t()
        cairo_font_extents(context, &extents)
        return (extents.ascent, extents.descent)
    }

    func drawText(_ text: String, x: Double, baseline: Double, font: Font, color: Color) {
        setFont(font)
        setColor(color)
        cairo_move_to(context, x, baseline)
        cairo_show_text(context, text)
    }

    // MARK: Shapes

    func fill(_ rect: Rect, color: Color) {
        setColor(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    func strokeLine(x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double) {
        setColor(color)
        cairo_set_line_width(context, width)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        cairo_move_to(context, x1, y1)
        cairo_line_to(context, x2, y2)
        cairo_stroke(context)
    }

    private func setColor(_ color: Color) {
        cairo_set_source_rgb(context, color.red, color.green, color.blue)
    }

    // MARK: Output

    /// Ends drawing and returns the file's bytes (PNG or PDF).
    func finish() throws(ChartError) -> [UInt8] {
        switch kind {
        case .png:
            cairo_surface_flush(surface)
            let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
            guard status == CAIRO_STATUS_SUCCESS else { throw ChartError("PNG encoding failed: \(Self.text(of: status))") }
        case .pdf:
            cairo_surface_finish(surface)
        case .measuring:
            return []
        }
        try check("write the \(kind) file")
        return sink.bytes
    }

    private func check(_ action: String) throws(ChartError) {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw ChartError("cairo could not \(action): \(Self.text(of: status))") }
        let contextStatus = cairo_status(context)
        guard contextStatus == CAIRO_STATUS_SUCCESS else { throw ChartError("cairo could not \(action): \(Self.text(of: contextStatus))") }
    }

    private static func text(of status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }
}

/// Collects what cairo writes through its stream callback.
private final class ByteSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}

extension ChartError: UserFacingError {
    public var message: String { description }
}
