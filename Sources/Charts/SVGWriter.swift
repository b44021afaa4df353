// SVGWriter: a Scene as a standalone SVG document or an element to inline in HTML. Text stays
// text; the font stack starts with the DejaVu Sans the layout measured with.

public enum SVGWriter {
    /// A complete `.svg` file.
    public static func document(_ scene: Scene) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element(scene)
    }

    /// An `<svg>` element (for inline use in HTML as well).
    public static func element(_ scene: Scene) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(scene.width))\" height=\"\(number(scene.height))\" "
        out += "viewBox=\"0 0 \(number(scene.width)) \(number(scene.height))\" role=\"img\" "
        out += "font-family=\"'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif\">\n"
        if !scene.title.isEmpty { out += "<title>\(HTMLText.escape(scene.title))</title>\n" }
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        for item in scene.items {
            switch item {
            case .rectangle(let rect, let fill):
                out += "<rect x=\"\(number(rect.x))\" y=\"\(number(rect.y))\" width=\"\(number(rect.width))\" "
                out += "height=\"\(number(rect.height))\" fill=\"\(fill.hexString)\"/>\n"
            case .line(let x1, let y1, let x2, let y2, let color, let width):
                out += "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
                out += "stroke=\"\(color.hexString)\" stroke-width=\"\(number(width))\"/>\n"
            case .text(let text):
                out += "<text x=\"\(number(text.x))\" y=\"\(number(text.baseline))\" font-size=\"\(number(text.font.size))\""
                if text.font.bold { out += " font-weight=\"bold\"" }
                switch text.anchor {
                case .start: break
                case .middle: out += " text-anchor=\"middle\""
                case .end: out += " text-anchor=\"end\""
                }
                out += " fill=\"\(text.color.hexString)\">\(HTMLText.escape(text.text))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// A coordinate with at most two decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(magnitude / 100)" }
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(sign)\(magnitude / 100).\(digits)"
    }
}
