// Temporary files for the Records tests.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Records

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/records-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) {
        let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0)
        var text = text
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func read(_ name: String) -> String {
        guard let reader = try? LineReader(path: file(name)) else { return "" }
        var lines: [String] = []
        var lastTerminated = true
        while let (line, terminated) = try? reader.withNextLine({ (String(decoding: $0, as: UTF8.self), $1) }) {
            lines.append(line)
            lastTerminated = terminated
        }
        return lines.joined(separator: "\n") + (lines.isEmpty || !lastTerminated ? "" : "\n")
    }

    func exists(_ name: String) -> Bool { access(file(name), F_OK) == 0 }

    func cleanup() {
        let dir = opendir(path)
        while let dir, let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(file(name)) }
        }
        if let dir { closedir(dir) }
        rmdir(path)
    }
}
