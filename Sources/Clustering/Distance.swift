// The distance kernels every algorithm here spends its time in: eight lanes at a time, four
// accumulators so the additions do not wait on each other.

enum Distance {
    /// ‖a − b‖² over `d` floats.
    @inline(__always)
    static func squaredEuclidean(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var j = 0
        while j + 32 <= d {
            let o = j * 4
            let d0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            let d2 = ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
            let d3 = ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
            s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
            j += 32
        }
        while j + 8 <= d {
            let d0 = ra.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            s0 += d0 * d0
            j += 8
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while j < d {
            let t = a[j] - b[j]
            sum += t * t
            j += 1
        }
        return sum
    }

    /// ‖a − b‖ over `d` floats.
    @inline(__always)
    static func euclidean(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        squaredEuclidean(a, b, d).squareRoot()
    }

    /// a · b over `d` floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var j = 0
        while j + 16 <= d {
            let o = j * 4
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            j += 16
        }
        var sum = (s0 + s1).sum()
        while j < d {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }
}
