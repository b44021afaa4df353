// DownloadLayoutTests: keys that would leave --dir are refused; two keys never share a file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records
import Testing
@testable import S3

@Suite struct DownloadLayoutTests {
    func temporaryDirectory() -> String {
        var template = Array("/tmp/layout-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    @Test func refusesKeysThatEscape() throws {
        for key in ["a/../../etc/passwd", "/etc/passwd", "..", "a/..", "folder/", ""] {
            #expect(throws: UnsafePathError.self, "\(key)") { try DownloadLayout.relativePath(forKey: key, keepPaths: true) }
        }
        #expect(throws: UnsafePathError.self) { try DownloadLayout.relativePath(forKey: "x/..", keepPaths: false) }
        #expect(try DownloadLayout.relativePath(forKey: "../x.jpg", keepPaths: false) == "x.jpg")
        #expect(try DownloadLayout.relativePath(forKey: "a//b/c.jpg", keepPaths: true) == "a/b/c.jpg")
    }

    @Test func refusesSymlinksInTheWay() throws {
        let root = temporaryDirectory()
        #expect(symlink("/tmp", root + "/sub") == 0)
        let layout = DownloadLayout(directory: root, keepPaths: true)
        #expect(throws: UnsafePathError.self) { try layout.claimPath(bucket: "b", key: "sub/x.jpg") }
        #expect(symlink("/etc/hostname", root + "/link.jpg") == 0)
        #expect(throws: UnsafePathError.self) { try DownloadLayout.checkFinalPath(root + "/link.jpg") }
    }

    @Test func twoKeysWithOneFileNameGetTwoPaths() throws {
        let root = temporaryDirectory()
        let layout = DownloadLayout(directory: root, keepPaths: false)
        let first = try layout.claimPath(bucket: "b", key: "a/x.jpg")
        let second = try layout.claimPath(bucket: "b", key: "c/x.jpg")
        let firstAgain = try layout.claimPath(bucket: "b", key: "a/x.jpg")
        #expect(first == root + "/x.jpg")
        #expect(second != first)
        #expect(second.hasPrefix(root + "/x~") && second.hasSuffix(".jpg"))
        #expect(firstAgain == first)
        #expect(DownloadLayout.alternatePath(root + "/x.jpg", key: "b/c/x.jpg") == second)
    }
}
