import Dispatch
import MLP

/// Training progress: on a terminal, a live bar per epoch (percent,
/// samples/s, ETA, running loss) redrawn at most 10 times a second and cut to
/// the terminal's width; otherwise one plain line per epoch. Also where
/// Ctrl-C is noticed: training stops at the end of the current step.
struct ProgressDisplay {
    let console: Console
    private var lastDraw: UInt64 = 0, epochStart: UInt64 = 0

    init(console: Console) {
        self.console = console
        if console.isTerminal { TerminalWidth.install() }
    }

    mutating func update(_ p: TrainingProgress) -> TrainingAction {
        if Interrupt.isRequested { return .stop }
        guard !console.quiet else { return .continue }
        let epochs = "epoch \(p.epoch + 1)/\(p.epochs)"
        if p.isEpochEnd {
            var line = "\(epochs)  loss \(Report.fixed(p.loss, 4))" + (p.accuracy.map { "  accuracy \(Report.fixed($0, 4))" } ?? "")
            if let loss = p.validationLoss {
                line += "  validation loss \(Report.fixed(loss, 4))" + (p.validationAccuracy.map { " accuracy \(Report.fixed($0, 4))" } ?? "")
            }
            line += "  \(Report.fixed(p.samplesPerSecond, 0)) samples/s"
            console.progress((console.isTerminal ? "\r\u{1B}[2K" : "") + line + "\n")
            return .continue
        }
        guard console.isTerminal else { return .continue }
        let now = DispatchTime.now().uptimeNanoseconds
        if p.step == 1 { epochStart = now }
        guard now - lastDraw > 100_000_000 || p.step == p.stepsPerEpoch else { return .continue }
        lastDraw = now
        let fraction = Double(p.step) / Double(p.stepsPerEpoch)
        let filled = Int(fraction * 24)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
        let remaining = Double(now - epochStart) * 1e-9 / Double(p.step) * Double(p.stepsPerEpoch - p.step)
        let line =
            "\(epochs) \(bar) \(Int(fraction * 100))%  \(Report.fixed(p.samplesPerSecond, 0)) samples/s  ETA \(Report.fixed(remaining, 1)) s  loss \(Report.fixed(p.loss, 4))"
        console.progress("\r\u{1B}[2K" + TerminalWidth.fit(line, width: TerminalWidth.current))
        return .continue
    }
}
