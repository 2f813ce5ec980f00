/// One option of a subcommand, as `--help` lists it.
struct OptionSpec {
    /// The name with its dashes, e.g. `--lr`.
    var name: String
    /// What the value looks like (`F`, `N`, `FILE`…), or nil for a flag.
    var value: String?
    /// The default shown in `--help` (nil: none).
    var defaultValue: String?
    var help: String
    /// Whether `defaultValue` is a value to use, or only a description
    /// ("detected", "all processors") of what happens without the option.
    var defaultIsValue = true

    init(name: String, value: String? = nil, defaultValue: String? = nil, help: String, defaultIsValue: Bool = true) {
        self.name = name
        self.value = value
        self.defaultValue = defaultValue
        self.help = help
        self.defaultIsValue = defaultIsValue
    }
}

/// A usage error: the message names the option and why; exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    /// One line naming the option and what is wrong with it.
    public var description: String
}

/// Hand-written argument parsing: `--name value`, `--name=value` and flags;
/// every unknown option or missing value is an error that names it.
struct Arguments {
    let command: String
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private let specs: [String: OptionSpec]

    init(command: String, specs: [OptionSpec], arguments: [String]) throws {
        self.command = command
        self.specs = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument, inline: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard name.hasPrefix("-"), let spec = self.specs[name] else {
                throw UsageError(
                    description: name.hasPrefix("-")
                        ? "unknown option '\(name)' for 'mlp \(command)' (see 'mlp \(command) --help')"
                        : "unexpected argument '\(argument)' for 'mlp \(command)' (options start with --)")
            }
            if spec.value == nil {
                guard inline == nil else { throw UsageError(description: "option \(name) takes no value") }
                flags.insert(name)
            } else {
                guard let value = inline ?? rest.popFirst(), inline != nil || !value.hasPrefix("--") else {
                    throw UsageError(description: "option \(name) needs a value (\(spec.value!))")
                }
                values[name] = value
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func string(_ name: String) -> String? {
        values[name] ?? specs[name].flatMap { $0.defaultIsValue ? $0.defaultValue : nil }
    }

    func int(_ name: String, atLeast minimum: Int = Int.min) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw UsageError(description: "option \(name): '\(text)' is not a whole number ≥ \(minimum)")
        }
        return value
    }

    func float(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Float? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw UsageError(description: "option \(name): '\(text)' is not a number in \(range.lowerBound)…\(range.upperBound)")
        }
        return Float(value)
    }

    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = string(name) else { return nil }
        guard allowed.contains(text) else {
            throw UsageError(description: "option \(name): '\(text)' is not one of \(allowed.joined(separator: ", "))")
        }
        return text
    }

    /// Parses `arguments` for `command`, or, when they ask for `--help`,
    /// prints the command's help to `console` and returns `nil`.
    static func parse(
        command: String, summary: String, specs: [OptionSpec], arguments: [String], console: inout Console
    ) throws -> Arguments? {
        let args = try Arguments(command: command, specs: specs, arguments: arguments)
        guard args.has("--help") else { return args }
        console.out(help(command: command, summary: summary, specs: specs))
        return nil
    }

    /// The help text of a subcommand: usage, summary, every option with its default.
    static func help(command: String, summary: String, specs: [OptionSpec]) -> String {
        let width = specs.map { $0.name.count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0
        let lines = specs.map { spec -> String in
            let left = spec.name + (spec.value.map { " " + $0 } ?? "")
            let pad = String(repeating: " ", count: width - left.count + 2)
            return "  \(left)\(pad)\(spec.help)" + (spec.defaultValue.map { " (default: \($0))" } ?? "")
        }
        return "usage: mlp \(command) [options]\n\n\(summary)\n\noptions:\n" + lines.joined(separator: "\n") + "\n"
    }
}
