// OutputFile: records go to stdout, or to `-o FILE` written under a temporary name and renamed
// when complete, so a run that stops half way leaves no half-written file under the final name
// (for whole-input results that are not resumed: cluster, merge-shards).
import Posix

public enum OutputFile {
    public static func write<Result>(to path: String?, _ body: (NDJSONWriter) throws -> Result) throws -> Result {
        guard let path else { return try body(NDJSONWriter.standardOutput()) }
        let temporary = FileSystem.temporaryName(beside: path)
        do {
            let writer = NDJSONWriter(file: try FileDescriptor.open(temporary, .createNew))
            let result = try body(writer)
            try writer.sync()
            try FileSystem.rename(temporary, to: path)
            return result
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
    }
}
