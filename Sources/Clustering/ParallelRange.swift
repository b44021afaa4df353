// Splits index ranges across the cores: the kernels here are embarrassingly parallel per row.
import Dispatch
import Foundation

enum ParallelRange {
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on contiguous pieces of 0..<count from several threads at once (one piece
    /// when `count` is below `minimumPiece`); returns when all are done.
    static func forEach(count: Int, minimumPiece: Int = 64, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let pieces = count < minimumPiece * 2 ? 1 : min(workers * 4, count / minimumPiece)
        if pieces == 1 {
            body(0..<count)
            return
        }
        run(iterations: pieces) { piece in body(count * piece / pieces ..< count * (piece + 1) / pieces) }
    }

    /// Like `forEach` with exactly one piece per worker, for loops that are called very often
    /// (a piece per worker costs the least to dispatch); `piece` numbers the results slot.
    static func perWorker(count: Int, minimumPiece: Int = 256, _ body: (_ piece: Int, Range<Int>) -> Void) -> Int {
        let pieces = count < minimumPiece * 2 ? 1 : workers
        if pieces == 1 {
            body(0, 0..<count)
        } else {
            run(iterations: pieces) { piece in body(piece, count * piece / pieces ..< count * (piece + 1) / pieces) }
        }
        return pieces
    }

    /// `DispatchQueue.concurrentPerform`, whose closure must be Sendable, for bodies that are
    /// not: they write disjoint parts of buffers through unsafe pointers, and the call returns
    /// only when every iteration has finished, so nothing outlives it or races.
    private static func run(iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            nonisolated(unsafe) let shared = escapable
            DispatchQueue.concurrentPerform(iterations: iterations) { shared($0) }
        }
    }
}
