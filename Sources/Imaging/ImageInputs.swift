// ImageInputs: img-resize's arguments may name record files, image files or directories of
// images; the images become one text input of paths (read by ToolRun like any other input).
import Posix

public enum ImageInputs {
    /// The inputs for ToolRun: record files as given, then (if any) one in-memory file listing
    /// the image files named or found under the named directories.
    public static func sources(for arguments: [String]) throws(ImagingError) -> [String] {
        var sources: [String] = []
        var images: [String] = []
        for argument in arguments {
            if argument != "-", (try? FileSystem.status(argument))?.isDirectory == true {
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
        do throws(SystemError) {
            let file = try FileDescriptor.anonymousTemporaryFile(prefix: "img-resize-inputs-")
            try file.write(paths.joined(separator: "\n") + "\n")
            return "/proc/self/fd/\(file.keepOpenUntilExit())"
        } catch {
            throw ImagingError(.io, "cannot list the input images: \(error.reason)")
        }
    }

    /// Creates `path` and its missing parents (`--out-dir`).
    public static func makeDirectory(_ path: String) throws(ImagingError) {
        do throws(SystemError) { try FileSystem.makeDirectories(path) } catch {
            throw ImagingError(.io, "cannot create --out-dir \(path): \(error.reason)")
        }
    }
}
