// DownloadDirectoryTests: --dir and its parents are made before any download, with the
// reference tool's default log file under DIR/logs; a file in the way is a named error.
import Foundation
import Posix
import Testing
@testable import S3

@Suite struct DownloadDirectoryTests {
    @Test func theDirectoryItsParentsAndTheDefaultLogFolderAreMade() throws {
        let root = NSTemporaryDirectory() + "dl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try DownloadDirectory.prepare(root + "/a/b", logFile: nil)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/logs", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(log.hasPrefix(root + "/a/b/logs/s3fetch-") && log.hasSuffix(".log"))
        let stamp = log.dropFirst((root + "/a/b/logs/s3fetch-").count).dropLast(4)
        #expect(stamp.count == 15 && stamp.allSatisfy { $0.isNumber || $0 == "-" }, "YYYYmmdd-HHMMSS, got \(stamp)")
        // Again: already there is fine.
        _ = try DownloadDirectory.prepare(root + "/a/b", logFile: nil)
    }

    @Test func aGivenLogFileIsKeptAndNoLogFolderIsMade() throws {
        let root = NSTemporaryDirectory() + "dl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try DownloadDirectory.prepare(root, logFile: "run.log") == "run.log")
        #expect(FileManager.default.fileExists(atPath: root))
        #expect(!FileManager.default.fileExists(atPath: root + "/logs"))
    }

    @Test func aFileInTheWayIsAnErrorNamingIt() throws {
        let root = NSTemporaryDirectory() + "dl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/file", contents: nil)
        do {
            _ = try DownloadDirectory.prepare(root + "/file/sub", logFile: "x.log")
            Issue.record("a file in the way must fail")
        } catch {
            #expect(error.call == "mkdir")
            #expect(error.path.hasSuffix("/file"), "the file in the way is named: \(error.path)")
        }
    }
}
