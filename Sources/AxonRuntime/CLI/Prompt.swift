import Foundation

/// Terminal questions for `register-user`. Passwords are read without echo on a terminal; from a pipe they
/// are read as plain lines, as Python's `getpass` falls back to, so scripts can answer the prompts.
enum Prompt {
    static func line(_ prompt: String) -> String? {
        print(prompt, terminator: "")
        fflush(nil)
        return readLine()
    }

    static func secret(_ prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return line(prompt) }
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            print("")
        }
        return line(prompt)
    }
}
