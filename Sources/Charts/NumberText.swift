// NumberText: numbers as people read them in charts, tables and the report.
import Glibc

public enum NumberText {
    /// 1234567 → "1,234,567".
    /// "1 image", "1,200 images": the count grouped, the noun singular for exactly one.
    public static func images(_ count: Int) -> String {
        grouped(count) + (count == 1 ? " image" : " images")
    }

    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// `value` through a printf conversion such as "%.1f" or "%.3g".
    public static func format(_ conversion: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, conversion, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "12.3%", "0%", "100%"; "–" when there is no value.
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value == 0 || value == 100 { return format("%.0f", value) + "%" }
        return format("%.1f", value) + "%"
    }

    /// A p- or q-value: "0.034", "3.2e-07", "< 1e-300".
    public static func probability(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value == 0 { return "< 1e-300" }
        return value >= 0.001 ? format("%.3f", value) : format("%.2g", value)
    }
}
