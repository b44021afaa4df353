// ParallelMD5Tests: the sixteen-lane MD5 agrees with swift-crypto's MD5 in every build of the
// kernel this CPU runs (AVX-512, AVX2, baseline), on inputs of every length class (empty,
// shorter than a block, padding spilling into a second block, long), when lanes are refilled
// across calls, and when a run stops with lanes half full.
import Crypto
import ParallelMD5
import Testing

struct ParallelMD5Tests {
    static let builds = MultiBufferMD5.InstructionSet.allCases.filter(\.isSupported)

    func reference(_ bytes: UnsafeRawBufferPointer) -> String {
        Insecure.MD5.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Random buffers of the given lengths (freed by the caller).
    func buffers(_ lengths: [Int], seed: UInt64) -> [UnsafeMutableRawBufferPointer] {
        var state = seed
        return lengths.map { count in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            for index in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                buffer[index] = UInt8(truncatingIfNeeded: state >> 33)
            }
            return buffer
        }
    }

    @Test func theBaselineBuildRunsEverywhereAndTheBestIsChosen() {
        #expect(Self.builds.contains(.baseline))
        #expect(MultiBufferMD5().instructionSet == Self.builds.first)
        #if !arch(x86_64)
        // The AVX targets are built for the default CPU here: only the portable kernel may run.
        #expect(Self.builds == [.baseline])
        #endif
        // A machine without a build's instructions cannot test it: say so in the log, so a CI
        // runner without AVX-512 does not pass for one that tested the kernel production uses.
        let untested = MultiBufferMD5.InstructionSet.allCases.filter { !$0.isSupported }
        if !untested.isEmpty {
            print("ParallelMD5Tests: this CPU cannot run the \(untested.map(\.rawValue).joined(separator: ", ")) build; tested: \(Self.builds.map(\.rawValue).joined(separator: ", "))")
        }
    }

    @Test(arguments: builds) func matchesSwiftCryptoOnManyLengths(build: MultiBufferMD5.InstructionSet) throws {
        let hasher = try #require(MultiBufferMD5(instructionSet: build))
        let lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 70_001, 250_000]
        let inputs = buffers(lengths, seed: 1)
        defer { inputs.forEach { $0.deallocate() } }
        let readOnly = inputs.map { UnsafeRawBufferPointer($0) }
        #expect(hasher.hexDigests(of: readOnly) == readOnly.map(reference))
        #expect(hasher.pendingCount == 0)
    }

    @Test(arguments: builds) func knownVectors(build: MultiBufferMD5.InstructionSet) throws {
        let hasher = try #require(MultiBufferMD5(instructionSet: build))
        let texts = ["", "abc", "The quick brown fox jumps over the lazy dog"]
        let digests = texts.map { text in Array(text.utf8).withUnsafeBytes { hasher.hexDigests(of: [$0])[0] } }
        #expect(digests == ["d41d8cd98f00b204e9800998ecf8427e", "900150983cd24fb0d6963f7d28e17f72", "9e107d9d372bb6826bd81d3542a419d6"])
    }

    /// Buffers arrive a few at a time as downloads end: a run without flush hashes only while
    /// every lane is busy and keeps the rest loaded; the final flush finishes them. Each digest
    /// comes back once, under its own tag.
    @Test(arguments: builds) func lanesRefillAcrossRuns(build: MultiBufferMD5.InstructionSet) throws {
        let hasher = try #require(MultiBufferMD5(instructionSet: build))
        let lengths = (0..<100).map { ($0 * 7_919) % 20_000 + ($0 % 3 == 0 ? 0 : 64 * $0) }
        let inputs = buffers(lengths, seed: 7)
        defer { inputs.forEach { $0.deallocate() } }
        var digests: [Int: String] = [:]
        var submitted = 0
        var sawPartialRun = false
        while submitted < inputs.count {
            for _ in 0..<min(5, inputs.count - submitted) {
                hasher.submit(UnsafeRawBufferPointer(inputs[submitted]), tag: submitted)
                submitted += 1
            }
            for (tag, digest) in hasher.run(flush: false) {
                #expect(digests.updateValue(digest, forKey: tag) == nil)
            }
            if hasher.pendingCount > 0 { sawPartialRun = true }
            #expect(hasher.pendingCount < hasher.lanes)
        }
        for (tag, digest) in hasher.run(flush: true) {
            #expect(digests.updateValue(digest, forKey: tag) == nil)
        }
        #expect(sawPartialRun)
        #expect(hasher.pendingCount == 0)
        #expect(digests.count == inputs.count)
        for (tag, input) in inputs.enumerated() { #expect(digests[tag] == reference(UnsafeRawBufferPointer(input))) }
    }
}
