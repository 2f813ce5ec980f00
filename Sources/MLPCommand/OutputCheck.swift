import MLP
import MLPData

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks, before any long work, that the files a command will write can be
/// written and would not destroy its inputs.
enum OutputCheck {
    /// Throws a ``DataError`` naming `path` and the problem: its directory is
    /// missing or not writable, it is a directory, or it is one of `inputs`.
    static func writable(_ path: String, option: String, inputs: [String]) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) != S_IFDIR else {
                throw DataError(file: path, message: "\(option) names a directory, not a file")
            }
            for input in inputs {
                var other = stat()
                if stat(input, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                    throw DataError(file: path, message: "\(option) would overwrite the input file \(input)")
                }
            }
        }
        let directory = AtomicFile.directory(of: path)
        var directoryInfo = stat()
        guard stat(directory, &directoryInfo) == 0, (directoryInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw DataError(file: path, message: "\(option): the directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw DataError(file: path, message: "\(option): the directory \(directory) is not writable")
        }
    }
}
