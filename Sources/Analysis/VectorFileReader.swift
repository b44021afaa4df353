// VectorFileReader: rows of a vectors file (ours, or a 2-D float32 .npy NumPy wrote) by row
// number, and the id of each row from PATH.ids when there is one. The row count comes from the
// file's size, not its header: rows appended after the header was last written still count.
import Posix
import Records
import Synchronization

public final class VectorFileReader: Sendable {
    public let path: String
    public let dimensions: Int
    public let rows: Int
    private let file: FileDescriptor
    private let dataOffset: Int
    private let ids: Mutex<[String]?>

    public init(path: String) throws(AnalysisError) {
        self.path = path
        do { file = try FileDescriptor.open(path, .read) } catch { throw AnalysisError(error) }
        let header = try VectorFile.readHeader(file, path: path)
        dimensions = header.dimensions
        dataOffset = header.dataOffset
        rows = max(0, try VectorFile.size(of: file) - header.dataOffset) / (header.dimensions * MemoryLayout<Float>.size)
        ids = Mutex(nil)
    }

    /// Row `index` (0-based).
    public func row(_ index: Int) throws(AnalysisError) -> [Float] {
        guard index >= 0 && index < rows else {
            throw AnalysisError("\(path): no row \(index) (the file has \(rows))")
        }
        var vector = [Float](repeating: 0, count: dimensions)
        let want = dimensions * MemoryLayout<Float>.size
        let count: Int
        do {
            count = try vector.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemError) in try file.readFully(into: buffer, at: dataOffset + index * want) }
            }.get()
        } catch { throw AnalysisError(error) }
        guard count == want else { throw AnalysisError("\(path): row \(index) is cut short") }
        return vector
    }

    /// The id of row `index` from PATH.ids (read once, on first use); nil when there is no such
    /// file or line (a file NumPy wrote).
    public func id(ofRow index: Int) throws(AnalysisError) -> String? {
        let path = self.path
        let loaded = try ids.withLock { ids throws(AnalysisError) -> [String] in
            if let ids { return ids }
            let read = try Self.readIDs(VectorFile.idsPath(path))
            ids = read
            return read
        }
        return index >= 0 && index < loaded.count ? loaded[index] : nil
    }

    private static func readIDs(_ path: String) throws(AnalysisError) -> [String] {
        guard FileSystem.exists(path) else { return [] }
        var result: [String] = []
        do {
            let reader = try LineReader(path: path)
            while let line = try reader.nextLine() {
                guard case .string(let id)? = try? JSONParser.parse(line) else {
                    throw AnalysisError("\(path):\(result.count + 1): not a JSON string")
                }
                result.append(id)
            }
        } catch let error as AnalysisError {
            throw error
        } catch {
            throw AnalysisError("\(path): \(error)")
        }
        return result
    }
}
