namespace Glov.LlamaCpp.Native;

/// <summary>The last few error lines a native library logged: native calls fail with a bare status
/// code, and these lines are what turns that into a message a user can act on.</summary>
internal sealed class RecentLogLines(int capacity)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
                _lines.Dequeue();
        }
    }

    /// <summary>The kept lines, oldest first, joined on one line; forgets them.</summary>
    public string Take()
    {
        lock (_lines)
        {
            var s = string.Join(" ", _lines.Select(l => l.Trim()).Where(l => l.Length > 0));
            _lines.Clear();
            return s;
        }
    }
}
