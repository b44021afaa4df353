// BufferingReceiver: an HTTP response body kept whole in memory (small API answers).
import HTTP

/// Collects a whole (small) response body in memory.
final class BufferingReceiver: HTTPResponseReceiver {
    private(set) var bytes: [UInt8] = []
    private let limit: Int

    init(limit: Int = 16 << 20) { self.limit = limit }

    func receiveHead(_ head: HTTPResponseHead) -> Bool { true }

    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= limit else { return false }
        bytes.append(contentsOf: chunk)
        return true
    }
}
