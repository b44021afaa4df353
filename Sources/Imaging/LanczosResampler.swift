// LanczosResampler: a streaming, separable Lanczos-3 downscaler. Source rows arrive one at a
// time straight from a decoder; each is kept as floats in a ring only as deep as the vertical
// filter, so the full-size image never exists in memory. Each finished output row is filtered
// horizontally at once. Coefficients follow Pillow's (so results match its LANCZOS), but the
// arithmetic stays in Float throughout instead of rounding to 8 bits between the passes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The taps of a 1-D Lanczos-3 filter from `sourceSize` samples to `targetSize`.
struct FilterTaps {
    /// First source sample of each target sample.
    var starts: [Int]
    /// Number of taps of each target sample.
    var counts: [Int]
    /// `stride` weights per target sample (unused ones are zero), normalised to sum 1.
    var weights: [Float]
    var stride: Int

    static let support = 3.0

    static func lanczos(_ x: Double) -> Double {
        if x == 0 { return 1 }
        guard x > -support, x < support else { return 0 }
        let px = Double.pi * x
        return support * sin(px) * sin(px / support) / (px * px)
    }

    init(sourceSize: Int, targetSize: Int) {
        let scale = Double(sourceSize) / Double(targetSize)
        let filterScale = max(scale, 1)
        let support = Self.support * filterScale
        stride = Int(support.rounded(.up)) * 2 + 1
        starts = []
        counts = []
        starts.reserveCapacity(targetSize)
        counts.reserveCapacity(targetSize)
        weights = [Float](repeating: 0, count: stride * targetSize)
        var kernel = [Double](repeating: 0, count: stride)
        for target in 0..<targetSize {
            let center = (Double(target) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), sourceSize)
            let count = min(max(end - first, 1), stride)
            var sum = 0.0
            for tap in 0..<count {
                let weight = Self.lanczos((Double(tap + first) - center + 0.5) / filterScale)
                kernel[tap] = weight
                sum += weight
            }
            for tap in 0..<count {
                weights[target * stride + tap] = Float(sum != 0 ? kernel[tap] / sum : (tap == 0 ? 1 : 0))
            }
            starts.append(min(first, sourceSize - 1))
            counts.append(count)
        }
    }
}

/// Downscales a stream of 3-channel 8-bit rows to `targetWidth`×`targetHeight`.
/// Not thread-safe: one per image, one per worker.
final class LanczosResampler {
    let sourceWidth: Int
    let sourceHeight: Int
    let targetWidth: Int
    let targetHeight: Int
    private static let channels = 3

    private let horizontal: FilterTaps
    private let vertical: FilterTaps
    /// Source rows as floats, `ringDepth` of them, each `sourceWidth * 3 + 1` long (one float of
    /// padding so the horizontal pass can load four floats at the last pixel).
    private let ring: UnsafeMutablePointer<Float>
    private let ringDepth: Int
    private let floatRowLength: Int
    /// One vertically filtered row, before the horizontal pass.
    private let column: UnsafeMutablePointer<Float>
    private var output: [UInt8]
    private var rowsPushed = 0
    private var rowsEmitted = 0

    init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && targetWidth > 0 && targetHeight > 0)
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
        horizontal = FilterTaps(sourceSize: sourceWidth, targetSize: targetWidth)
        vertical = FilterTaps(sourceSize: sourceHeight, targetSize: targetHeight)
        ringDepth = min(vertical.stride + 1, sourceHeight)
        floatRowLength = sourceWidth * Self.channels + 4
        ring = .allocate(capacity: ringDepth * floatRowLength)
        ring.initialize(repeating: 0, count: ringDepth * floatRowLength)
        column = .allocate(capacity: floatRowLength)
        column.initialize(repeating: 0, count: floatRowLength)
        output = [UInt8](repeating: 0, count: targetWidth * targetHeight * Self.channels)
    }

    deinit {
        ring.deallocate()
        column.deallocate()
    }

    /// Adds the next source row (`sourceWidth * 3` bytes, RGB).
    func push(_ row: UnsafePointer<UInt8>) {
        guard rowsPushed < sourceHeight else { return }
        let slot = ring + (rowsPushed % ringDepth) * floatRowLength
        let count = sourceWidth * Self.channels
        for index in 0..<count { slot[index] = Float(row[index]) }
        rowsPushed += 1
        while rowsEmitted < targetHeight,
              vertical.starts[rowsEmitted] + vertical.counts[rowsEmitted] <= rowsPushed {
            emitRow(rowsEmitted)
            rowsEmitted += 1
        }
    }

    /// The downscaled image; rows never pushed (a short decode) stay black.
    func finish() -> PixelBuffer {
        PixelBuffer(width: targetWidth, height: targetHeight, channels: Self.channels, pixels: output)
    }

    private func emitRow(_ target: Int) {
        filterVertically(target)
        output.withUnsafeMutableBufferPointer { buffer in
            filterHorizontally(into: buffer.baseAddress! + target * targetWidth * Self.channels)
        }
    }

    /// column = Σ weight × source row, over this target row's taps, 16 floats at a time.
    private func filterVertically(_ target: Int) {
        let first = vertical.starts[target]
        let count = vertical.counts[target]
        let length = sourceWidth * Self.channels
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: count) { rows in
            vertical.weights.withUnsafeBufferPointer { allWeights in
                let weights = allWeights.baseAddress! + target * vertical.stride
                for tap in 0..<count {
                    rows[tap] = UnsafePointer(ring + ((first + tap) % ringDepth) * floatRowLength)
                }
                var x = 0
                while x + 16 <= length {
                    var sum = SIMD16<Float>()
                    for tap in 0..<count {
                        let values = UnsafeRawPointer(rows[tap] + x).loadUnaligned(as: SIMD16<Float>.self)
                        sum += values * weights[tap]
                    }
                    UnsafeMutableRawPointer(column + x).storeBytes(of: sum, as: SIMD16<Float>.self)
                    x += 16
                }
                while x < length {
                    var sum: Float = 0
                    for tap in 0..<count { sum += rows[tap][x] * weights[tap] }
                    column[x] = sum
                    x += 1
                }
            }
        }
    }

    /// One output row from `column`: each pixel's RGB (plus a spare lane) summed as SIMD4.
    private func filterHorizontally(into row: UnsafeMutablePointer<UInt8>) {
        horizontal.weights.withUnsafeBufferPointer { allWeights in
            horizontal.starts.withUnsafeBufferPointer { starts in
                horizontal.counts.withUnsafeBufferPointer { counts in
                    let stride = horizontal.stride
                    for x in 0..<targetWidth {
                        let weights = allWeights.baseAddress! + x * stride
                        let source = column + starts[x] * Self.channels
                        let count = counts[x]
                        // Two independent sums, so consecutive taps do not wait on each other.
                        var even = SIMD4<Float>(), odd = SIMD4<Float>()
                        var tap = 0
                        while tap + 1 < count {
                            even += Self.load4(source + tap * Self.channels) * weights[tap]
                            odd += Self.load4(source + (tap + 1) * Self.channels) * weights[tap + 1]
                            tap += 2
                        }
                        if tap < count { even += Self.load4(source + tap * Self.channels) * weights[tap] }
                        let sum = even + odd
                        let pixel = row + x * Self.channels
                        pixel[0] = Self.byte(sum[0])
                        pixel[1] = Self.byte(sum[1])
                        pixel[2] = Self.byte(sum[2])
                    }
                }
            }
        }
    }

    /// Four floats from `pointer` (an RGB pixel and the next red, which is ignored).
    @inline(__always)
    private static func load4(_ pointer: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    /// A filtered value rounded and clamped to 0…255 (Lanczos overshoots at edges).
    @inline(__always)
    private static func byte(_ value: Float) -> UInt8 {
        let rounded = value + 0.5
        if !(rounded > 0) { return 0 }
        if rounded >= 255 { return 255 }
        return UInt8(rounded)
    }
}
