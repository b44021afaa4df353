// ParallelProcessing: ToolRun's loop for CPU-bound per-record work on several threads. The
// reading, resume, shard and output logic stay on the calling thread; workers only transform
// records, and results are written in input order.
import Dispatch
import Records
import Synchronization

extension ToolRun {
    /// Like `processSequentially`, with at most `jobs` records transformed at once on other
    /// threads. Output keeps the input order. Returns the exit status.
    public func processInParallel(jobs: Int, _ transform: @escaping @Sendable (Record) -> Record) throws -> Int32 {
        guard jobs > 1 else { return try processSequentially(transform) }
        let slots = DispatchSemaphore(value: jobs)
        let finished = Mutex<[Int: Record]>([:])
        let running = DispatchGroup()
        var submitted = 0
        var written = 0
        func writeFinished() throws {
            while let record = finished.withLock({ $0.removeValue(forKey: written) }) {
                try emit(record)
                written += 1
            }
        }
        while let item = try nextRecord() {
            slots.wait()
            try writeFinished()
            let sequence = submitted
            submitted += 1
            let record = item.record
            running.enter()
            DispatchQueue.global().async {
                let result = transform(record)
                finished.withLock { $0[sequence] = result }
                slots.signal()
                running.leave()
            }
        }
        running.wait()
        try writeFinished()
        return finish()
    }
}
