// The vectors file: rows and ids appended, reopened, repaired after a torn append, shared by two
// writers at once, read by NumPy itself, and the embedding field that points into it.
import Analysis
import Dispatch
import Posix
import Records
import Synchronization
import Testing
import TestUtilities

@Suite struct VectorFileTests {
    static func scratch(_ name: String) -> String {
        let directory = "/tmp/analysis-tests-\(CurrentProcess.id)-\(UInt32.random(in: 0...UInt32.max))"
        try? FileSystem.makeDirectories(directory)
        return directory + "/" + name
    }

    static func vector(_ seed: Int, dimensions: Int = 4) -> [Float] { (0..<dimensions).map { Float(seed * 10 + $0) / 8 } }

    @Test func rowsAndIdsAppendAndReadBack() throws {
        let path = Self.scratch("v.npy")
        let file = try VectorFile(appendingTo: path, dimensions: 4)
        #expect(try file.append([("a", Self.vector(1)), ("b", Self.vector(2))]) == [0, 1])
        #expect(try file.append([("c\n\"d", Self.vector(3))]) == [2])
        let again = try VectorFile(appendingTo: path, dimensions: 4)
        #expect(again.rows == 3)
        #expect(try again.append([("e", Self.vector(4))]) == [3])
        let reader = try VectorFileReader(path: path)
        #expect(reader.rows == 4 && reader.dimensions == 4)
        #expect(try reader.row(2) == Self.vector(3))
        #expect(try reader.id(ofRow: 2) == "c\n\"d")
        #expect(try reader.id(ofRow: 3) == "e")
        #expect(throws: AnalysisError.self) { try reader.row(4) }
        #expect(throws: AnalysisError.self) { try VectorFile(appendingTo: path, dimensions: 8) }
    }

    @Test func aTornAppendIsCutBackToTheRowsThatHaveAnId() throws {
        let path = Self.scratch("torn.npy")
        let file = try VectorFile(appendingTo: path, dimensions: 4)
        _ = try file.append([("a", Self.vector(1)), ("b", Self.vector(2))])
        // A crash after a row and a half were written, before their ids.
        let data = try FileDescriptor.open(path, .append)
        try data.write([UInt8](repeating: 7, count: 16 + 9))
        let ids = try FileDescriptor.open(VectorFile.idsPath(path), .append)
        try ids.write("\"half")
        let reopened = try VectorFile(appendingTo: path, dimensions: 4)
        #expect(reopened.rows == 2)
        #expect(try FileSystem.status(path).size == 128 + 2 * 16)
        #expect(try reopened.append([("c", Self.vector(3))]) == [2])
        let reader = try VectorFileReader(path: path)
        #expect(try reader.row(2) == Self.vector(3))
        #expect(try reader.id(ofRow: 2) == "c")
    }

    @Test func twoWritersOnOneFileTakeTurns() throws {
        let path = Self.scratch("shared.npy")
        let writers = [try VectorFile(appendingTo: path, dimensions: 4), try VectorFile(appendingTo: path, dimensions: 4)]
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            for i in 0..<200 {
                let seed = w * 1000 + i
                if (try? writers[w].append([("w\(w)-\(i)", Self.vector(seed)), ("w\(w)-\(i)b", Self.vector(seed + 500))])) == nil {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let reader = try VectorFileReader(path: path)
        #expect(reader.rows == 800)
        var seen = Set<String>()
        for row in 0..<reader.rows {
            let id = try #require(try reader.id(ofRow: row))
            seen.insert(id)
            // Each row holds the vector of its own id.
            let parts = id.dropFirst().split(separator: "-")
            let w = Int(parts[0])!, i = Int(parts[1].filter(\.isNumber))!
            #expect(try reader.row(row) == Self.vector(w * 1000 + i + (id.hasSuffix("b") ? 500 : 0)))
        }
        #expect(seen.count == 800)
    }

    @Test func numpyLoadsTheFileAsAFloat32Matrix() throws {
        let path = Self.scratch("np.npy")
        let file = try VectorFile(appendingTo: path, dimensions: 3)
        _ = try file.append([("a", [1, 2, 3]), ("b", [0.5, -0.25, 1e-3])])
        let python = Self.packageRoot + "/.venv/bin/python"
        let script = "import numpy, sys; m = numpy.load(sys.argv[1], mmap_mode='r'); print(m.dtype, m.shape, float(m[1][1]))"
        let outcome = try ProcessRunner.run(python, ["-c", script, path])
        #expect(outcome.status == 0, "\(outcome.stderr) (numpy comes with `scripts/deps.sh`)")
        #expect(outcome.stdout == "float32 (2, 3) -0.25\n")
        // And a matrix NumPy saved reads back (no ids file).
        let saved = Self.scratch("saved.npy")
        let save = "import numpy, sys; numpy.save(sys.argv[1], numpy.arange(12, dtype='<f4').reshape(4, 3))"
        #expect(try ProcessRunner.run(python, ["-c", save, saved]).status == 0)
        let reader = try VectorFileReader(path: saved)
        #expect(reader.rows == 4 && reader.dimensions == 3)
        #expect(try reader.row(3) == [9, 10, 11])
        #expect(try reader.id(ofRow: 0) == nil)
    }

    @Test func theEmbeddingFieldReadsInlineVectorsAndFileRowsOfItsOwnId() throws {
        let path = Self.scratch("field.npy")
        let file = try VectorFile(appendingTo: path, dimensions: 4)
        let rows = try file.append([("x", Self.vector(5)), ("y", Self.vector(6))])
        let files = VectorFiles()
        var record: JSONObject = ["id": "y", "embedding": EmbeddingField.reference(file: path, row: rows[1], dimensions: 4)]
        #expect(try EmbeddingField.vector(in: record, files: files) == Self.vector(6))
        record["id"] = "x"
        #expect(throws: AnalysisError.self) { try EmbeddingField.vector(in: record, files: files) }
        let inline: JSONObject = ["id": "z", "embedding": EmbeddingField.inline([0.1, -2, 3.5])]
        #expect(JSONSerializer.string(inline) == #"{"id":"z","embedding":[0.1,-2.0,3.5]}"#)
        #expect(try EmbeddingField.vector(in: inline, files: files) == [0.1, -2, 3.5])
        #expect(throws: AnalysisError.self) { try EmbeddingField.vector(in: ["id": "n", "embedding": ["a"]], files: files) }
        #expect(throws: AnalysisError.self) { try EmbeddingField.vector(in: ["id": "n"], files: files) }
    }

    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
}
