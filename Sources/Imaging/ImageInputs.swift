// ImageInputs: img-resize's arguments may name record files, image files or directories of
// images; the images become one text input of paths (read by ToolRun like any other input).

public enum ImageInputs {
    /// The inputs for ToolRun: record files as given, then (if any) one in-memory file listing
    /// the image files named or found under the named directories.
    public static func sources(for arguments: [String]) throws(ImagingError) -> [String] {
        var sources: [String] = []
        var images: [String] = []
        for argument in arguments {
            var info = stat()
            if argument != "-", stat(argument, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                images += try ImageFile.find(in: argument)
            } else if ImageFormat.fromExtension(of: argument) != nil {
                images.append(argument)
            } else {
                sources.append(argument)
            }
        }
        if !images.isEmpty { sources.append(try listing(images)) }
        return sources
    }

    /// An anonymous (already unlinked) temporary file holding one path a line, named by its
    /// /proc path; it disappears with the process.
    private static func listing(_ paths: [String]) throws(ImagingError) -> String {
        var template = Array("/tmp/img-resize-inputs-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        guard fd >= 0 else { throw ImagingError(.io, "cannot list the input images: \(String(cString: strerror(errno)))") }
        var text = Array(paths.joined(separator: "\n").utf8)
        text.append(0x0A)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == text.count else { throw ImagingError(.io, "cannot list the input images: \(String(cString: strerror(errno)))") }
        return "/proc/self/fd/\(fd)"
    }

    /// Creates `path` and its missing parents (`--out-dir`).
    public static func makeDirectory(_ path: String) throws(ImagingError) {
        var partial = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            partial += component + "/"
            if mkdir(partial, 0o755) != 0, errno != EEXIST {
                throw ImagingError(.io, "cannot create --out-dir \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

}
