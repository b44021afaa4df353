// MemoryBudget: what one image may cost a worker (--max-memory), and what each stage of a
// resize will take, estimated from the header before the memory is taken. An image that would
// need more is refused as too_large with the figure, so a worker's peak stays under its budget
// whatever a file claims.

/// A number of bytes, written for people as `512M`, `1G`, `800K` or plain bytes.
public struct ByteSize: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// Parses `N`, `NK`, `NM`, `NG` (powers of 1024; an optional trailing `B` or `iB`); nil otherwise.
    public init?(_ text: String) {
        var digits = text.uppercased()
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits.removeLast(suffix.count)
            break
        }
        var shift = 0
        switch digits.last {
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        default: break
        }
        if shift > 0 { digits.removeLast() }
        guard let value = Int(digits), value >= 0, value <= Int.max >> max(shift, 1) else { return nil }
        bytes = value << shift
    }

    public var description: String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30)G" }
        if bytes >= 1 << 20 { return "\((bytes + (1 << 19)) >> 20)M" }
        if bytes >= 1 << 10 { return "\((bytes + 512) >> 10)K" }
        return "\(bytes)"
    }
}

/// The memory one image's resize needs, stage by stage, and the check against the budget.
struct MemoryBudget {
    let limit: Int

    /// Refuses the image when `needed` bytes exceed the budget; `what` names the image.
    func check(_ needed: Int, _ what: String) throws(ImagingError) {
        guard needed > limit else { return }
        throw ImagingError(.tooLarge, "\(what) needs about \(ByteSize(bytes: needed)) to resize, more than --max-memory \(ByteSize(bytes: limit))")
    }

    /// The Lanczos resampler's ring of float rows (as deep as the vertical filter) and its
    /// result, or just the result when no resampling is needed; plus the turned copy and the
    /// encoder's buffers, each about one result.
    static func resampling(source: (Int, Int), target: (Int, Int)) -> Int {
        let result = target.0 * target.1 * 3
        guard source != target else { return result * 3 }
        func taps(_ from: Int, _ to: Int) -> Int {
            Int((FilterTaps.support * max(Double(from) / Double(max(to, 1)), 1)).rounded(.up)) * 2 + 1
        }
        let ringDepth = taps(source.1, target.1)
        let ring = ringDepth * (source.0 * 3 + 1) * MemoryLayout<Float>.size
        let weights = (target.0 * taps(source.0, target.0) + target.1 * ringDepth) * (MemoryLayout<Float>.size + 16)
        return ring + weights + result * 3
    }
}
