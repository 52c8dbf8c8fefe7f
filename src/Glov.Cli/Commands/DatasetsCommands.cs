using System.CommandLine;
using System.Globalization;
using Glov.Core;
using Glov.Catalog;

namespace Glov.Cli.Commands;

/// <summary><c>glov datasets list|check</c>: the benchmark catalog and a data root's health.</summary>
public static class DatasetsCommands
{
    /// <summary>The exit code of a check that found problems (2 is a usage mistake, 1 an internal error).</summary>
    public const int ProblemsFound = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var list = new Command("list", "The catalog: each dataset's name, classes, folder under a data root and split source");
        list.SetAction(_ => List(stdout));

        var root = new Option<string>("--root") { Description = "The data root holding the dataset folders", Required = true };
        var names = new Argument<string[]>("name") { Description = "Datasets to check (default: every catalog dataset)", Arity = ArgumentArity.ZeroOrMore };
        var check = new Command("check", "Count images per split and class, decode every image, report problems (exit 3 if any)") { root, names };
        check.SetAction((parse, ct) => Task.FromResult(Check(parse.GetRequiredValue(root), parse.GetValue(names) ?? [], stdout, stderr, ct)));

        return new Command("datasets", "The benchmark dataset catalog") { list, check };
    }

    public static int List(TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"{"name",-16} {"title",-20} {"classes",7}  {"folder",-22} {"eval",-5} layout");
        foreach (var e in DatasetCatalog.All)
            stdout.WriteLine(string.Format(c, "{0,-16} {1,-20} {2,7}  {3,-22} {4,-5} {5}", e.Name, e.Title, e.ClassCount, e.Folder + "/", e.EvaluationSplit, e.Layout.Describe()));
        return 0;
    }

    public static int Check(string root, IReadOnlyList<string> names, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Directory.Exists(root))
            throw new GlovUserException($"--root: {root} is not a folder");
        var entries = names.Count == 0 ? DatasetCatalog.All : names.Select(DatasetCatalog.Find).ToList();
        var c = CultureInfo.InvariantCulture;
        var failed = 0;
        foreach (var entry in entries)
        {
            var progress = new Progress(stderr, entry.Name);
            var report = DatasetCheck.Run(entry, Path.GetFullPath(root), progress, ct);
            progress.Finish();
            stdout.WriteLine($"{entry.Name} ({report.Folder})");
            if (report.Splits.Count > 0)
            {
                stdout.WriteLine(string.Format(c, "  {0,-6} {1,8} {2,9} {3,9} {4,9}", "split", "images", "classes", "min/class", "max/class"));
                foreach (var s in report.Splits)
                    stdout.WriteLine(string.Format(c, "  {0,-6} {1,8} {2,4}/{3,-4} {4,9} {5,9}", s.Split, s.Images, s.ClassesPresent, report.ClassCount, s.MinPerClass, s.MaxPerClass));
            }
            foreach (var problem in report.Problems.Take(20))
                stdout.WriteLine($"  problem: {problem}");
            if (report.Problems.Count > 20)
                stdout.WriteLine($"  … and {report.Problems.Count - 20} more problems");
            stdout.WriteLine(report.Ok
                ? string.Format(c, "  ok: {0} classes, {1} images", report.ClassCount, report.Splits.Sum(s => s.Images))
                : string.Format(c, "  FAILED: {0} problem(s)", report.Problems.Count));
            failed += report.Ok ? 0 : 1;
        }
        stdout.WriteLine(failed == 0 ? $"verdict: all {entries.Count} dataset(s) ok" : $"verdict: {failed} of {entries.Count} dataset(s) have problems");
        return failed == 0 ? 0 : ProblemsFound;
    }

    /// <summary>Decoding progress on stderr, one line rewritten in place.</summary>
    private sealed class Progress(TextWriter stderr, string name) : IProgress<(int Done, int Total)>
    {
        private readonly Lock _gate = new();
        private bool _shown;

        public void Report((int Done, int Total) value)
        {
            lock (_gate)
            {
                stderr.Write($"\r{name}: decoded {value.Done}/{value.Total} images");
                _shown = true;
            }
        }

        public void Finish()
        {
            if (_shown)
                stderr.WriteLine();
        }
    }
}
