// CLibrary: the C library calls whose names the module's own methods (FileDescriptor's read,
// write, close; FileSystem's rename) hide inside those types, reachable here under names of their own.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

func posixOpen(_ path: String, _ flags: Int32, _ permissions: mode_t) -> Int32 { open(path, flags, permissions) }
func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
func posixClose(_ fd: Int32) -> Int32 { close(fd) }
func posixRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
func posixExit(_ status: Int32) -> Never { exit(status) }
