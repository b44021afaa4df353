// Scene: a laid-out chart as plain shapes and text with their rectangles — what the layout
// produces and every renderer (cairo for PNG/PDF, the SVG writer) draws, unchanged.

/// An sRGB colour.
public struct Color: Sendable, Equatable {
    public var red: Double
    public var green: Double
    public var blue: Double

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    /// `#rrggbb`.
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        return "#" + [red, green, blue].map { component -> String in
            let byte = Int((component * 255).rounded())
            return String([digits[byte >> 4], digits[byte & 15]])
        }.joined()
    }

    public static let text = Color(hex: 0x222222)
    public static let mutedText = Color(hex: 0x555555)
    public static let grid = Color(hex: 0xE3E3E3)
    public static let axis = Color(hex: 0x888888)
    public static let background = Color(hex: 0xFFFFFF)
}

/// An axis-aligned rectangle; y grows downwards.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// True when the two rectangles share any area (touching edges do not count).
    public func overlaps(_ other: Rect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// True when `other` lies completely inside.
    public func contains(_ other: Rect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }
}

/// Where a text's x coordinate is: its left end, middle or right end.
public enum TextAnchor: Sendable, Equatable {
    case start, middle, end
}

/// A font size and weight; the family is the scene's.
public struct Font: Sendable, Equatable, Hashable {
    public var size: Double
    public var bold: Bool

    public init(size: Double, bold: Bool = false) {
        self.size = size
        self.bold = bold
    }
}

/// A line of text placed in the scene, with the rectangle it occupies (from the font's
/// ascent to its descent, over the text's advance width).
public struct TextItem: Sendable, Equatable {
    public var text: String
    public var x: Double
    public var baseline: Double
    public var anchor: TextAnchor
    public var font: Font
    public var color: Color
    public var bounds: Rect
}

/// One drawing step.
public enum SceneItem: Sendable, Equatable {
    case rectangle(Rect, fill: Color)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double)
    case text(TextItem)
}

/// A chart ready to draw: size in points (CSS pixels in SVG, points in PDF, pixels × scale in PNG).
public struct Scene: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var items: [SceneItem] = []
    /// A text description of the chart (SVG `<title>`, for screen readers).
    public var title: String = ""

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Every text in drawing order.
    public var texts: [TextItem] {
        items.compactMap { item in
            if case .text(let text) = item { return text }
            return nil
        }
    }
}
