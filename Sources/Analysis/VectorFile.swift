// VectorFile: `embed --vectors PATH` — float32 rows in a NumPy .npy file, and beside it PATH.ids
// with the id of each row (one JSON string a line, line i = row i). Vectors as JSON text would
// be four times larger and slow to parse; a .npy loads in NumPy as it is.
//
// Appends take an exclusive flock on PATH, so shards (`xargs -P`) share one file. A row is
// written before its id, and a record that points at a row is written after both, so after a
// crash the file can only hold extra rows: opening (and any append that sees another process's
// torn write) cuts both files back to the rows that have an id.
import Posix
import Records
import Synchronization

public final class VectorFile: Sendable {
    public let path: String
    public let dimensions: Int
    private let data: FileDescriptor
    private let ids: FileDescriptor
    private let state: Mutex<Extent>

    /// What this process last saw of the two files; a difference means another process wrote.
    private struct Extent {
        var rows = 0
        var dataSize = 0
        var idsSize = 0
    }

    private var rowBytes: Int { dimensions * MemoryLayout<Float>.size }
    private let dataOffset: Int

    /// Opens PATH for appending `dimensions`-wide rows, creating it (and PATH.ids) when missing;
    /// an existing file must hold rows of that width.
    public init(appendingTo path: String, dimensions: Int) throws(AnalysisError) {
        precondition(dimensions > 0)
        self.path = path
        self.dimensions = dimensions
        do {
            data = try FileDescriptor.open(path, .readWriteCreating)
            ids = try FileDescriptor.open(Self.idsPath(path), .readWriteCreating)
        } catch { throw AnalysisError(error) }
        dataOffset = try Self.prepare(data, ids, path: path, dimensions: dimensions)
        state = Mutex(Extent())
        try locked { _ in }
    }

    /// Writes the header of a new file, or checks an existing one; returns where rows start.
    private static func prepare(_ data: borrowing FileDescriptor, _ ids: borrowing FileDescriptor,
                                path: String, dimensions: Int) throws(AnalysisError) -> Int {
        do { try data.lockExclusively() } catch { throw AnalysisError(error) }
        defer { data.unlock() }
        if try size(of: data) == 0 {
            try write(NumpyHeader.bytes(rows: 0, dimensions: dimensions), to: data, at: 0)
            try cut(ids, to: 0)
            return NumpyHeader.writtenSize
        }
        let header = try readHeader(data, path: path)
        guard header.dimensions == dimensions else {
            throw AnalysisError("\(path): holds \(header.dimensions)-dimensional vectors, not \(dimensions); use another --vectors file")
        }
        guard header.dataOffset == NumpyHeader.writtenSize else {
            throw AnalysisError("\(path): a .npy header of \(header.dataOffset) bytes cannot grow in place; append to a file embed made")
        }
        return header.dataOffset
    }

    /// The sidecar holding the row ids.
    public static func idsPath(_ path: String) -> String { path + ".ids" }

    /// Appends `rows` (each `dimensions` floats) with their ids in one locked step; returns the
    /// row number of each.
    public func append(_ rows: [(id: String, vector: [Float])]) throws(AnalysisError) -> [Int] {
        guard !rows.isEmpty else { return [] }
        for row in rows where row.vector.count != dimensions {
            throw AnalysisError("\(path): a vector for \(row.id) has \(row.vector.count) dimensions, the file \(dimensions)")
        }
        return try locked { extent throws(AnalysisError) -> [Int] in
            var floats: [Float] = []
            floats.reserveCapacity(rows.count * dimensions)
            var lines = ""
            for row in rows {
                floats.append(contentsOf: row.vector)
                lines += JSONSerializer.string(.string(row.id)) + "\n"
            }
            let first = extent.rows
            let bytes = floats.withUnsafeBytes { Array($0) }
            try Self.write(bytes, to: data, at: extent.dataSize)
            try Self.write(Array(lines.utf8), to: ids, at: extent.idsSize)
            extent.rows += rows.count
            extent.dataSize += bytes.count
            extent.idsSize += lines.utf8.count
            try Self.write(NumpyHeader.bytes(rows: extent.rows, dimensions: dimensions), to: data, at: 0)
            return Array(first..<(first + rows.count))
        }
    }

    /// Rows in the file now.
    public var rows: Int { (try? locked { $0.rows }) ?? state.withLock { $0.rows } }

    /// Runs `body` under the file lock with the extent brought up to date: another process's
    /// appends counted, a torn append (rows without ids, a partial row or id line) cut off.
    private func locked<T>(_ body: (inout Extent) throws(AnalysisError) -> T) throws(AnalysisError) -> T {
        try state.withLock { extent throws(AnalysisError) -> T in
            do throws(SystemError) { try data.lockExclusively() } catch { throw AnalysisError(error) }
            defer { data.unlock() }
            try refresh(&extent)
            return try body(&extent)
        }
    }

    private func refresh(_ extent: inout Extent) throws(AnalysisError) {
        let dataSize = try Self.size(of: data), idsSize = try Self.size(of: ids)
        if dataSize == extent.dataSize && idsSize == extent.idsSize && extent.dataSize > 0 { return }
        // Count id lines: from where this process last stopped when the file only grew, else all.
        var lines = 0, scanFrom = 0
        if idsSize >= extent.idsSize && extent.idsSize > 0 {
            lines = extent.rows
            scanFrom = extent.idsSize
        }
        let (newLines, lastLineEnd) = try Self.countLines(ids, path: Self.idsPath(path), from: scanFrom, to: idsSize)
        lines += newLines
        let idsEnd = newLines > 0 ? lastLineEnd : scanFrom
        let wholeRows = max(0, dataSize - dataOffset) / rowBytes
        let rows = min(wholeRows, lines)
        var idsKeep = idsEnd
        if lines > rows {
            // More ids than rows cannot come from our order of writes; keep the first `rows` lines.
            idsKeep = try Self.endOfLine(rows, in: ids, path: Self.idsPath(path), size: idsSize)
        }
        let dataKeep = dataOffset + rows * rowBytes
        if dataSize != dataKeep { try Self.cut(data, to: dataKeep) }
        if idsSize != idsKeep { try Self.cut(ids, to: idsKeep) }
        if dataSize != dataKeep || dataSize == 0 || extent.dataSize == 0 {
            try Self.write(NumpyHeader.bytes(rows: rows, dimensions: dimensions), to: data, at: 0)
        }
        extent = Extent(rows: rows, dataSize: dataKeep, idsSize: idsKeep)
    }

    // MARK: File helpers

    static func readHeader(_ file: borrowing FileDescriptor, path: String) throws(AnalysisError) -> NumpyHeader {
        var prefix = [UInt8](repeating: 0, count: 4096)
        let count: Int
        do { count = try file.readFully(into: &prefix, at: 0) } catch { throw AnalysisError(error) }
        switch NumpyHeader.parse(Array(prefix[0..<count])) {
        case .success(let header): return header
        case .failure(let problem): throw AnalysisError("\(path): \(problem.text)")
        }
    }

    static func size(of file: borrowing FileDescriptor) throws(AnalysisError) -> Int {
        do { return try file.status().size } catch { throw AnalysisError(error) }
    }

    private static func write(_ bytes: [UInt8], to file: borrowing FileDescriptor, at offset: Int) throws(AnalysisError) {
        do {
            try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try file.write(buffer, at: offset) } }.get()
        } catch { throw AnalysisError(error) }
    }

    private static func cut(_ file: borrowing FileDescriptor, to size: Int) throws(AnalysisError) {
        do { try file.truncate(to: size) } catch { throw AnalysisError(error) }
    }

    /// Newlines in [start, end) and the offset just past the last one.
    private static func countLines(_ file: borrowing FileDescriptor, path: String, from start: Int, to end: Int) throws(AnalysisError) -> (Int, Int) {
        var lines = 0, lastEnd = start, offset = start
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while offset < end {
            let want = min(chunk.count, end - offset)
            let count: Int
            do { count = try file.readFully(into: &chunk, count: want, at: offset) } catch { throw AnalysisError(error) }
            if count == 0 { break }
            for i in 0..<count where chunk[i] == 0x0A {
                lines += 1
                lastEnd = offset + i + 1
            }
            offset += count
        }
        return (lines, lastEnd)
    }

    /// The offset just past the `line`-th newline (0 for line 0).
    private static func endOfLine(_ line: Int, in file: borrowing FileDescriptor, path: String, size: Int) throws(AnalysisError) -> Int {
        guard line > 0 else { return 0 }
        var seen = 0, offset = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while offset < size {
            let count: Int
            do { count = try file.readFully(into: &chunk, count: min(chunk.count, size - offset), at: offset) } catch { throw AnalysisError(error) }
            if count == 0 { break }
            for i in 0..<count where chunk[i] == 0x0A {
                seen += 1
                if seen == line { return offset + i + 1 }
            }
            offset += count
        }
        return size
    }
}
