// ImageFile: the file side of resizing — reading an image whole, writing a result atomically
// (temporary file, then rename, so no partial file ever has the final name), turning an id
// into a safe file name, and finding image files under a directory.
import Posix

public enum ImageFile {
    /// Files larger than this are refused before reading (no supported image needs more).
    public static let maximumFileBytes = 1 << 30

    /// Reads a whole file, refusing (as too_large, before reading) one over `maximumBytes`.
    public static func read(_ path: String, maximumBytes: Int = maximumFileBytes) throws(ImagingError) -> [UInt8] {
        let file: FileDescriptor
        do throws(SystemError) { file = try FileDescriptor.open(path, .read) } catch { throw ImagingError(.io, "cannot open: \(error.reason)") }
        let status: FileStatus
        do throws(SystemError) { status = try file.status() } catch { throw ImagingError(.io, "cannot stat: \(error.reason)") }
        guard status.isRegularFile else { throw ImagingError(.io, "not a regular file") }
        let size = status.size
        let limit = min(maximumBytes, maximumFileBytes)
        guard size <= limit else { throw ImagingError(.tooLarge, "file is \(size) bytes, more than the \(ByteSize(bytes: limit)) allowed") }
        var bytes = [UInt8](repeating: 0, count: size)
        let done: Int
        do throws(SystemError) {
            done = try file.readFully(into: &bytes, at: 0)
        } catch {
            throw ImagingError(.io, "cannot read: \(error.reason)")
        }
        return done == size ? bytes : Array(bytes.prefix(done))
    }

    /// Writes `bytes` to `path` through a temporary file in the same directory, renamed over it.
    /// Not synced to disk: a rerun makes a lost image again, and a sync per image would cost the
    /// throughput the README measures.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImagingError) {
        do throws(SystemError) {
            try FileSystem.writeAtomically(bytes, to: path, sync: false)
        } catch {
            let file = error.call == "rename" ? path : error.path
            throw ImagingError(.io, "cannot write \(file): \(error.reason)")
        }
    }

    /// A file name for an id: `/`, NUL and control characters become `_`, and a leading dot
    /// is escaped, so an id can never reach outside the output directory or hide a file.
    public static func safeName(for id: String) -> String {
        var name = String(id.unicodeScalars.map { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F ? "_" : Character($0) })
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        if name.utf8.count > 240 { name = String(decoding: name.utf8.prefix(240), as: UTF8.self) }
        return name
    }

    /// Image files (by extension, any case, including formats that cannot be decoded) under
    /// `directory`, recursively, in name order. Symbolic links to directories are not followed.
    public static func find(in directory: String) throws(ImagingError) -> [String] {
        let names: [String]
        do throws(SystemError) { names = try FileSystem.contents(ofDirectory: directory) } catch {
            throw ImagingError(.io, "cannot read directory \(directory): \(error.reason)")
        }
        var found: [String] = []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() {
            let path = prefix + name
            guard let status = try? FileSystem.status(path, followLinks: false) else { continue }
            switch status.kind {
            case .directory: found += try find(in: path)
            case .regular, .symbolicLink: if ImageFormat.fromExtension(of: name) != nil { found.append(path) }
            case .other: break
            }
        }
        return found
    }
}
