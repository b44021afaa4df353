// MultiBufferMD5: the MD5 of many independent buffers at once, one buffer per SIMD lane. One
// MD5 is a serial chain no CPU speeds up, but s3fetch verifies dozens of bodies at a time and
// sixteen chains side by side cost little more than one. Lanes stay loaded between calls, so a
// lane that finishes takes the next buffer at once and no lane idles while others run on,
// except at the end (`run(flush: true)`).
import MD5Lanes
import MD5LanesAVX2
import MD5LanesAVX512

public final class MultiBufferMD5 {
    typealias Kernel = @Sendable (UnsafeMutableRawPointer, UnsafePointer<UnsafeRawPointer>, UnsafePointer<Int>, Int) -> Void

    /// The builds of the sixteen-lane kernel.
    public enum InstructionSet: String, CaseIterable, Sendable {
        /// 512-bit registers (skylake-avx512): 5.3 GB/s on this project's AMD EPYC.
        case avx512
        /// 256-bit registers (haswell): 4.1 GB/s there.
        case avx2
        /// The portable build: whatever the Swift compiler targets by default (SSE2 on x86-64,
        /// NEON on aarch64): 1.4 GB/s on that EPYC. The only one off x86-64.
        case baseline

        /// Whether this CPU can run this build.
        public var isSupported: Bool {
            switch self {
            case .avx512: CPUFeatures.has(CPUFeatures.skylakeAVX512)
            case .avx2: CPUFeatures.has(CPUFeatures.haswell)
            case .baseline: true
            }
        }

        var kernel: Kernel {
            switch self {
            case .avx512: MD5x16AVX512.compressBlocks
            case .avx2: MD5x16AVX2.compressBlocks
            case .baseline: MD5x16.compressBlocks
            }
        }

        /// The fastest build this CPU runs.
        public static let best: InstructionSet = allCases.first { $0.isSupported } ?? .baseline
    }

    /// Buffers hashed side by side.
    public let lanes = MD5x16.lanes
    public let instructionSet: InstructionSet
    private let kernel: Kernel
    /// A of every lane, then B, C, D (UInt32 each).
    private let state: UnsafeMutableRawPointer
    private let pointers: UnsafeMutablePointer<UnsafeRawPointer>
    private let strides: UnsafeMutablePointer<Int>
    /// Per lane 128 bytes for the padded last one or two blocks, then one zero block for idle lanes.
    private let tails: UnsafeMutableRawPointer
    private var slots: [Slot?]
    /// Submitted, not yet in a lane (always empty when `run` returns).
    private var waiting: [(input: UnsafeRawBufferPointer, tag: Int)] = []

    /// A buffer in a lane: its whole blocks are read in place, the rest from the lane's tail.
    struct Slot {
        let input: UnsafeRawBufferPointer
        let tag: Int
        let wholeBlocks: Int
        let totalBlocks: Int
        var blocksDone = 0
    }

    /// Uses the fastest build of the kernel this CPU runs.
    public convenience init() {
        self.init(checked: .best)
    }

    /// Uses the given build of the kernel; nil when this CPU cannot run it.
    public convenience init?(instructionSet: InstructionSet) {
        guard instructionSet.isSupported else { return nil }
        self.init(checked: instructionSet)
    }

    private init(checked instructionSet: InstructionSet) {
        self.instructionSet = instructionSet
        kernel = instructionSet.kernel
        state = .allocate(byteCount: 16 * lanes, alignment: 64)
        pointers = .allocate(capacity: lanes)
        strides = .allocate(capacity: lanes)
        tails = .allocate(byteCount: 128 * lanes + 64, alignment: 64)
        tails.initializeMemory(as: UInt8.self, repeating: 0, count: 128 * lanes + 64)
        slots = Array(repeating: nil, count: lanes)
    }

    deinit {
        state.deallocate()
        pointers.deallocate()
        strides.deallocate()
        tails.deallocate()
    }

    /// Buffers submitted and not yet finished.
    public var pendingCount: Int { waiting.count + slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Queues a buffer; it must stay valid until `run` returns its digest.
    public func submit(_ input: UnsafeRawBufferPointer, tag: Int) {
        waiting.append((input, tag))
    }

    /// Hashes while every lane has a buffer — or, with `flush`, until every submitted buffer is
    /// done — and returns the lowercase hex digests finished, with their tags.
    public func run(flush: Bool) -> [(tag: Int, digest: String)] {
        var finished: [(tag: Int, digest: String)] = []
        var next = 0
        defer { waiting.removeAll(keepingCapacity: true) }
        while true {
            // Lanes only stay empty once every waiting buffer is in one, so the loop below
            // ends with `waiting` used up.
            for lane in 0..<lanes where slots[lane] == nil {
                guard next < waiting.count else { break }
                load(lane, waiting[next])
                next += 1
            }
            let active = slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            guard active > 0, flush || active == lanes else { break }
            var count = Int.max
            for lane in 0..<lanes {
                guard let slot = slots[lane] else {
                    pointers[lane] = UnsafeRawPointer(tails + 128 * lanes)
                    strides[lane] = 0
                    continue
                }
                let inWhole = slot.blocksDone < slot.wholeBlocks
                pointers[lane] = inWhole ? slot.input.baseAddress! + 64 * slot.blocksDone
                    : UnsafeRawPointer(tails + 128 * lane + 64 * (slot.blocksDone - slot.wholeBlocks))
                strides[lane] = 64
                count = min(count, (inWhole ? slot.wholeBlocks : slot.totalBlocks) - slot.blocksDone)
            }
            kernel(state, pointers, strides, count)
            for lane in 0..<lanes {
                guard var slot = slots[lane] else { continue }
                slot.blocksDone += count
                if slot.blocksDone == slot.totalBlocks {
                    finished.append((slot.tag, hex(lane: lane)))
                    slots[lane] = nil
                } else {
                    slots[lane] = slot
                }
            }
        }
        return finished
    }

    /// The MD5 of each buffer, in order (a convenience over submit/run).
    public func hexDigests(of inputs: [UnsafeRawBufferPointer]) -> [String] {
        for (index, input) in inputs.enumerated() { submit(input, tag: index) }
        var digests = [String](repeating: "", count: inputs.count)
        for (tag, digest) in run(flush: true) { digests[tag] = digest }
        return digests
    }

    /// Puts a buffer in a lane: the lane's state starts over and its tail gets the bytes after
    /// the last whole block, the 0x80 marker, zeros and the length in bits (RFC 1321 padding).
    private func load(_ lane: Int, _ entry: (input: UnsafeRawBufferPointer, tag: Int)) {
        let input = entry.input
        let whole = input.count / 64
        let rest = input.count - whole * 64
        let tail = tails + 128 * lane
        if rest > 0 { tail.copyMemory(from: input.baseAddress! + whole * 64, byteCount: rest) }
        let tailBytes = rest < 56 ? 64 : 128
        tail.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
        (tail + rest + 1).initializeMemory(as: UInt8.self, repeating: 0, count: tailBytes - 8 - rest - 1)
        tail.storeBytes(of: (UInt64(input.count) &* 8).littleEndian, toByteOffset: tailBytes - 8, as: UInt64.self)
        for (word, initial) in [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476].enumerated() {
            state.storeBytes(of: UInt32(initial), toByteOffset: 4 * (word * lanes + lane), as: UInt32.self)
        }
        slots[lane] = Slot(input: input, tag: entry.tag, wholeBlocks: whole, totalBlocks: whole + tailBytes / 64)
    }

    private func hex(lane: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for word in 0..<4 {
            let value = state.load(fromByteOffset: 4 * (word * lanes + lane), as: UInt32.self)
            for shift in stride(from: 0, to: 32, by: 8) {
                let byte = UInt8(truncatingIfNeeded: value >> UInt32(shift))
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
