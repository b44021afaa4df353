// cluster reads its input twice (vectors first, then every record again to write it back), so
// stdin is copied once into an unnamed temporary file that both passes read.
import Posix
import Records

/// A source of records that can be read from the start again.
final class InputSpool {
    /// The name in messages: the path, or "stdin".
    let name: String
    private let path: String
    private let spool: FileDescriptor?

    init(path: String) throws(ClusterError) {
        guard path == "-" else {
            self.name = path
            self.path = path
            self.spool = nil
            return
        }
        do {
            let file = try FileDescriptor.anonymousTemporaryFile(prefix: "cluster-stdin-")
            let input = FileDescriptor.standardInput()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
            }
            self.name = "stdin"
            self.path = "/proc/self/fd/\(file.rawValue)"
            self.spool = consume file
        } catch {
            throw ClusterError("cannot keep stdin in a temporary file: \(error)")
        }
    }

    /// A reader from the first line.
    func reader() throws(ClusterError) -> RecordReader {
        do {
            return try RecordReader(path: path)
        } catch {
            throw ClusterError("cannot read \(name): \(error)")
        }
    }
}
