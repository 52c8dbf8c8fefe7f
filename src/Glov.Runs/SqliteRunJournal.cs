using System.Globalization;
using Glov.Core;
using Glov.Core.Devices;
using Glov.Core.Journal;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;
using Glov.Core.Templates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glov.Core.Files;
using Glov.Core.Text;
using Microsoft.Data.Sqlite;

namespace Glov.Runs;

/// <summary>
/// The run journal in one SQLite file (WAL, synchronous=FULL). Every Record* call is one committed
/// transaction, so whatever returned is on disk when the process is killed.
/// </summary>
public sealed class SqliteRunJournal : IRunJournal, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    private readonly IDisposable? _lock;

    private SqliteRunJournal(string path, SqliteConnection connection, IDisposable? writerLock, RunManifest manifest, RecordedRun recorded, TimeProvider time)
    {
        Path = path;
        _connection = connection;
        _lock = writerLock;
        Manifest = manifest;
        Recorded = recorded;
        _time = time;
    }

    public string Path { get; }

    public RunManifest Manifest { get; }

    public RecordedRun Recorded { get; }

    /// <summary>Creates a new journal; refuses to overwrite a started one. The journal is built under a
    /// temporary name and renamed into place, so a kill or a full disk never leaves a half-made journal
    /// at <paramref name="path"/>; a journal that is there but was never started (<see cref="Exists"/>) is replaced.</summary>
    public static SqliteRunJournal Create(string path, RunManifest manifest, TimeProvider? time = null)
    {
        if (Exists(path))
            throw new GlovUserException($"{path}: a journal already exists");
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
            DeleteUnstarted(full);
        var now = Stamp(time ?? TimeProvider.System);
        try
        {
            AtomicFile.Build(full, BuildJournal, overwrite: false);
        }
        catch (SqliteException e) when (WriteFailure(full, e) is { } failure)
        {
            throw failure;
        }
        return Open(full, time: time);

        void BuildJournal(string temporary)
        {
            using var connection = Connect(temporary, SqliteOpenMode.ReadWriteCreate);
            using var tx = connection.BeginTransaction();
            Execute(connection, tx, Schema.Create);
            Execute(connection, tx, $"PRAGMA application_id = {Schema.ApplicationId}; PRAGMA user_version = {Schema.Version};");
            Execute(connection, tx, """
                INSERT INTO run(id, config_json, config_hash, seed, glov_version, created_at, status, updated_at)
                VALUES (1, $config, $hash, $seed, $version, $created, 'running', $now)
                """, ("$config", manifest.ConfigJson), ("$hash", manifest.ConfigHash),
                ("$seed", manifest.Seed.ToString(CultureInfo.InvariantCulture)), ("$version", manifest.GlovVersion),
                ("$created", manifest.CreatedAt.ToString("O", CultureInfo.InvariantCulture)), ("$now", now));
            WriteInputs(connection, tx, manifest.Inputs);
            tx.Commit();
        }
    }

    /// <summary>True when <paramref name="path"/> holds a started journal: not a missing, empty, or
    /// header-only file without a run manifest, which a kill during creation by an older glov could leave.</summary>
    public static bool Exists(string path) => File.Exists(path) && !IsUnstarted(path);

    private static bool IsUnstarted(string path)
    {
        if (new FileInfo(path).Length == 0)
            return !(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);
        try
        {
            using var connection = Connect(path, SqliteOpenMode.ReadOnly);
            var id = Scalar<long>(connection, "PRAGMA application_id");
            var tables = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
            var hasRun = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'run'") == 1;
            return (id == 0 && tables == 0) || (id == Schema.ApplicationId && (!hasRun || Scalar<long>(connection, "SELECT count(*) FROM run") == 0));
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static void DeleteUnstarted(string full)
    {
        try
        {
            foreach (var file in new[] { full, full + "-wal", full + "-shm" })
                File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{full}: an unstarted journal is in the way and cannot be removed ({e.Message})", e);
        }
    }

    /// <summary>Opens an existing journal and reads back everything recorded so far.</summary>
    public static SqliteRunJournal Open(string path, bool readOnly = false, TimeProvider? time = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: no such journal");
        if (IsUnstarted(path))
            throw new GlovUserException($"{path}: the run was never started (empty journal); run optimize again to start it");
        SqliteConnection? connection = null;
        var writerLock = readOnly ? null : LockForWriting(path);
        try
        {
            connection = Connect(path, readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite);
            if (Scalar<long>(connection, "PRAGMA application_id") != Schema.ApplicationId)
                throw new GlovUserException($"{path}: not a glov journal");
            var version = Scalar<long>(connection, "PRAGMA user_version");
            if (version != Schema.Version)
                throw new GlovUserException($"{path}: journal schema version {version}, this glov reads version {Schema.Version}");
            if (!readOnly && !HasColumn(connection, "steps", Schema.ReusedPromptTokens))
                Execute(connection, null, $"ALTER TABLE steps ADD COLUMN {Schema.ReusedPromptTokens} INTEGER");
            var journal = new SqliteRunJournal(path, connection, writerLock, ReadManifest(connection), ReadRecorded(connection), time ?? TimeProvider.System);
            connection = null;
            writerLock = null;
            return journal;
        }
        catch (SqliteException e)
        {
            throw new GlovUserException($"{path}: unreadable journal ({e.Message.TrimEnd('.')})", e);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(path, e);
        }
        finally
        {
            connection?.Dispose();
            writerLock?.Dispose();
        }
    }

    /// <summary>What reading a value edited by hand (or by a tool) can throw.</summary>
    private static bool IsDamage(Exception e) => e is FormatException or JsonException or InvalidCastException or OverflowException
        or ArgumentException or KeyNotFoundException or InvalidOperationException or NullReferenceException or SqliteException;

    private static GlovUserException Damaged(string path, Exception e) =>
        new($"{path}: damaged journal, a recorded value cannot be read ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})", e);

    /// <summary>Paths this process writes: a second writer in the same process is refused without
    /// opening the file again (closing any descriptor of a file drops the process's SQLite locks on it).</summary>
    private static readonly HashSet<string> Writing = new(StringComparer.Ordinal);

    /// <summary>One writer per run: an exclusive flock on <c>journal.db</c> itself (SQLite locks with
    /// fcntl, which does not interfere), released by the OS even when the process is killed. Deleting
    /// a file cannot let a second writer in, as a separate lock file would.</summary>
    private static OwnedLock LockForWriting(string path)
    {
        lock (Writing)
        {
            if (!Writing.Contains(path) && WriterLock.TryAcquire(path, create: false) is { } held)
            {
                Writing.Add(path);
                return new OwnedLock(path, held);
            }
        }
        throw new GlovUserException($"{path}: the run is in use by another glov process");
    }

    /// <summary>True while a glov process (this one or another) holds the run's writer lock. Call it
    /// before opening the journal in this process.</summary>
    public static bool IsBeingWritten(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
            return false;
        lock (Writing)
        {
            if (Writing.Contains(path))
                return true;
            using var probe = WriterLock.TryAcquire(path, create: false);
            return probe is null;
        }
    }

    private sealed class OwnedLock(string path, WriterLock held) : IDisposable
    {
        public void Dispose()
        {
            lock (Writing)
            {
                held.Dispose();
                Writing.Remove(path);
            }
        }
    }

    /// <summary>Adds content fingerprints of input files to the manifest (a journal from before
    /// fingerprints were recorded adopts the current ones on resume).</summary>
    public void RecordInputs(IReadOnlyDictionary<string, string> inputs)
    {
        using var tx = _connection.BeginTransaction();
        WriteInputs(_connection, tx, inputs);
        tx.Commit();
    }

    private static void WriteInputs(SqliteConnection connection, SqliteTransaction tx, IReadOnlyDictionary<string, string> inputs)
    {
        Execute(connection, tx, Schema.CreateInputs);
        foreach (var (file, fingerprint) in inputs)
            Execute(connection, tx, "INSERT OR REPLACE INTO inputs(path, fingerprint) VALUES ($path, $fingerprint)", ("$path", file), ("$fingerprint", fingerprint));
    }

    public void RecordStepStart(StepStart start) => Write("""
        INSERT INTO steps(step, count, messages_json, sampling_json, guidance_positive, guidance_negative,
                          steering_norm, alpha, layer, steering_mode, started_at)
        VALUES ($step, $count, $messages, $sampling, $pos, $neg, $norm, $alpha, $layer, $mode, $now)
        ON CONFLICT(step) DO UPDATE SET count = excluded.count, messages_json = excluded.messages_json,
            sampling_json = excluded.sampling_json, guidance_positive = excluded.guidance_positive,
            guidance_negative = excluded.guidance_negative, steering_norm = excluded.steering_norm,
            alpha = excluded.alpha, layer = excluded.layer, steering_mode = excluded.steering_mode,
            started_at = excluded.started_at
        """, ("$step", start.Step), ("$count", start.Count), ("$messages", JournalJson.Messages(start.Messages)),
        ("$sampling", JournalJson.Sampling(start.Sampling)), ("$pos", start.Guidance?.Positive),
        ("$neg", start.Guidance?.Negative), ("$norm", start.Guidance?.Norm), ("$alpha", start.Guidance?.Alpha),
        ("$layer", start.Guidance?.Layer), ("$mode", start.Guidance is { } g ? JournalJson.Name(g.Mode) : null),
        ("$now", Stamp(_time)));

    /// <summary>Also writes the step's prompt reuse into its step record: the completions of one request share
    /// their prompt, so the figure is the step's, stored once.</summary>
    public void RecordCompletions(int step, IReadOnlyList<Completion> completions) => InTransaction(tx =>
    {
        for (var i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            Execute(_connection, tx, """
                INSERT INTO completions(step, idx, text, prompt_tokens, completion_tokens, finish)
                VALUES ($step, $idx, $text, $pt, $ct, $finish)
                """, ("$step", step), ("$idx", i), ("$text", c.Text), ("$pt", c.PromptTokens), ("$ct", c.CompletionTokens),
                ("$finish", JournalJson.Name(c.Finish)));
        }
        Execute(_connection, tx, $"UPDATE steps SET {Schema.ReusedPromptTokens} = $reused WHERE step = $step",
            ("$step", step), ("$reused", PromptReuse.Of(completions)?.ReusedTokens));
    });

    public void RecordCandidates(int step, IReadOnlyList<CandidateRecord> candidates) =>
        WriteMany("""
            INSERT INTO candidates(step, idx, completion_idx, fragment, template, rejection, detail)
            VALUES ($step, $idx, $completion, $fragment, $template, $rejection, $detail)
            """, candidates.Select(c => new (string, object?)[]
        {
            ("$step", step), ("$idx", c.Index), ("$completion", c.CompletionIndex), ("$fragment", c.Fragment),
            ("$template", c.Template), ("$rejection", c.Reason is { } r ? JournalJson.Name(r) : null), ("$detail", c.Detail),
        }));

    public void RecordScores(int step, IReadOnlyList<(int Index, FitnessResult Result)> scores)
    {
        var now = Stamp(_time);
        WriteMany("""
            INSERT INTO scores(step, idx, score, per_class_json, scored_at) VALUES ($step, $idx, $score, $hits, $now)
            """, scores.Select(s => new (string, object?)[]
        {
            ("$step", step), ("$idx", s.Index), ("$score", s.Result.Score), ("$hits", JournalJson.PerClass(s.Result.PerClass)), ("$now", now),
        }));
    }

    public void RecordStepComplete(int step) => Write("""
        INSERT INTO steps(step, completed_at) VALUES ($step, $now)
        ON CONFLICT(step) DO UPDATE SET completed_at = excluded.completed_at
        """, ("$step", step), ("$now", Stamp(_time)));

    public void RecordFinal(FinalResult final) => Write("""
        INSERT INTO final(id, mode, step, score, per_class_json, ensemble_json, selected_at)
        VALUES (1, $mode, $step, $score, $hits, $ensemble, $now)
        ON CONFLICT(id) DO UPDATE SET mode = excluded.mode, step = excluded.step, score = excluded.score,
            per_class_json = excluded.per_class_json, ensemble_json = excluded.ensemble_json, selected_at = excluded.selected_at
        """, ("$mode", JournalJson.Name(final.Mode)), ("$step", final.Step), ("$score", final.TrainFitness.Score),
        ("$hits", JournalJson.PerClass(final.TrainFitness.PerClass)), ("$ensemble", JournalJson.Texts(final.Ensemble.Select(t => t.Text))),
        ("$now", Stamp(_time)));

    /// <summary>Where the engines of this start (or resume) of the run are placed, and why.</summary>
    public void RecordDevices(IReadOnlyList<DeviceChoice> devices)
    {
        var now = Stamp(_time);
        Write(Schema.Devices);
        WriteMany("INSERT INTO devices(engine, setting, device, reason, runtime, recorded_at) VALUES ($engine, $setting, $device, $reason, $runtime, $now)",
            devices.Select(d => new (string, object?)[] { ("$engine", d.Engine), ("$setting", d.Setting.ToString()), ("$device", d.Device), ("$reason", d.Reason), ("$runtime", d.Runtime), ("$now", now) }));
    }

    public void SetStatus(RunStatus status, string? detail = null) => Write(
        "UPDATE run SET status = $status, status_detail = $detail, updated_at = $now",
        ("$status", JournalJson.Name(status)), ("$detail", detail is null ? null : Secrets.Redact(detail)), ("$now", Stamp(_time)));

    /// <summary>The run's status as last written (the <see cref="Recorded"/> snapshot does not track it).</summary>
    public (RunStatus Status, string? Detail, DateTimeOffset UpdatedAt) Status()
    {
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT status, status_detail, updated_at FROM run";
            using var r = cmd.ExecuteReader();
            r.Read();
            return (JournalJson.Parse<RunStatus>(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1),
                DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(Path, e);
        }
    }

    /// <summary>Every row of the journal as one JSON object per line, in table order (run, steps,
    /// completions, candidates, scores, final, devices) and by step and index within a table. Columns holding
    /// JSON are embedded as JSON under their name without the <c>_json</c> suffix; timestamps end in <c>_at</c>.</summary>
    public void ExportJsonLines(TextWriter writer)
    {
        try
        {
            ExportRows(writer);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(Path, e);
        }
    }

    private void ExportRows(TextWriter writer)
    {
        string[] tables = ["run", "inputs", "steps", "completions", "candidates", "scores", "final", "devices"];
        foreach (var table in tables.Where(HasTable))
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = table switch
            {
                "run" or "final" => $"SELECT * FROM {table}",
                "inputs" => "SELECT * FROM inputs ORDER BY path",
                "devices" => "SELECT * FROM devices ORDER BY rowid",
                "steps" => "SELECT * FROM steps ORDER BY step",
                _ => $"SELECT * FROM {table} ORDER BY step, idx",
            };
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var row = new JsonObject { ["type"] = table };
                for (var i = 0; i < r.FieldCount; i++)
                {
                    var name = r.GetName(i);
                    if (name == "id")
                        continue;
                    row[name.EndsWith("_json", StringComparison.Ordinal) ? name[..^5] : name] = r.IsDBNull(i) ? null
                        : name.EndsWith("_json", StringComparison.Ordinal) ? JsonNode.Parse(r.GetString(i))
                        : r.GetValue(i) switch
                        {
                            long l => JsonValue.Create(l),
                            double d => JsonValue.Create(d),
                            var v => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)),
                        };
                }
                writer.WriteLine(row.ToJsonString(ExportOptions));
            }
        }
    }

    /// <summary>The engines' placement, oldest first: (engine, device, reason, runtime, when).</summary>
    public IReadOnlyList<(string Engine, string Device, string Reason, string? Runtime, string RecordedAt)> Devices()
    {
        if (!HasTable("devices"))
            return [];
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT engine, device, reason, runtime, recorded_at FROM devices ORDER BY rowid";
        using var r = cmd.ExecuteReader();
        var rows = new List<(string, string, string, string?, string)>();
        while (r.Read())
            rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)));
        return rows;
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column";
        cmd.Parameters.AddWithValue("$table", table);
        cmd.Parameters.AddWithValue("$column", column);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private bool HasTable(string table)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        cmd.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static readonly JsonSerializerOptions ExportOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Dispose()
    {
        _connection.Dispose();
        _lock?.Dispose();
    }

    private const int BusyTimeoutSeconds = 5;

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            // Only another program (a sqlite3 shell) can hold the file: wait a little, then say so.
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString());
        connection.Open();
        if (mode != SqliteOpenMode.ReadOnly)
            Execute(connection, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        return connection;
    }

    private void Write(string sql, params (string Name, object? Value)[] parameters) => WriteMany(sql, [parameters]);

    private void WriteMany(string sql, IEnumerable<(string Name, object? Value)[]> rows) => InTransaction(tx =>
    {
        foreach (var row in rows)
            Execute(_connection, tx, sql, row);
    });

    private void InTransaction(Action<SqliteTransaction> write)
    {
        try
        {
            using var tx = _connection.BeginTransaction();
            write(tx);
            tx.Commit();
        }
        catch (SqliteException e) when (WriteFailure(Path, e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The user's side of a failed write (disk full, file locked by another program, read-only
    /// or failing storage) as one line naming the journal; null for anything else (our bug).
    /// Nothing of the failed transaction is kept, so the run resumes from the last whole record.</summary>
    internal static GlovUserException? WriteFailure(string path, SqliteException e)
    {
        var cause = (e.SqliteErrorCode & 0xFF) switch
        {
            13 => "the disk is full",
            5 or 6 => "the file is locked by another program",
            8 => "the file or its folder is read-only",
            10 or 14 => $"the storage failed ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})",
            _ => null,
        };
        return cause is null ? null : new GlovUserException($"{path}: cannot write the journal: {cause}; free the cause and resume the run", e);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static string Stamp(TimeProvider time) => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static RunManifest ReadManifest(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT config_json, config_hash, seed, glov_version, created_at FROM run";
        using var r = cmd.ExecuteReader();
        if (!r.Read())
            throw new GlovUserException($"{connection.DataSource}: journal has no run manifest");
        var manifest = new RunManifest(r.GetString(0), r.GetString(1), ulong.Parse(r.GetString(2), CultureInfo.InvariantCulture),
            r.GetString(3), DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture));
        return manifest with { Inputs = ReadInputs(connection) };
    }

    private static Dictionary<string, string> ReadInputs(SqliteConnection connection)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'inputs'") == 0)
            return inputs;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT path, fingerprint FROM inputs ORDER BY path";
        using var r = cmd.ExecuteReader();
        while (r.Read())
            inputs[r.GetString(0)] = r.GetString(1);
        return inputs;
    }

    private static RecordedRun ReadRecorded(SqliteConnection connection)
    {
        var starts = new Dictionary<int, (StepStart? Start, bool Complete, int? Reused, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt)>();
        // A journal opened read-only may predate the column.
        var reusedColumn = HasColumn(connection, "steps", Schema.ReusedPromptTokens) ? Schema.ReusedPromptTokens : "NULL";
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT step, count, messages_json, sampling_json, guidance_positive, guidance_negative,
                       steering_norm, alpha, layer, steering_mode, completed_at IS NOT NULL, {reusedColumn}, started_at, completed_at
                FROM steps ORDER BY step
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var step = r.GetInt32(0);
                StepStart? start = null;
                if (!r.IsDBNull(2))
                {
                    var guidance = r.IsDBNull(4) ? null : new StepGuidance(r.GetString(4), r.GetString(5), r.GetDouble(6),
                        r.GetFloat(7), r.GetInt32(8), JournalJson.Parse<SteeringMode>(r.GetString(9)));
                    start = new StepStart(step, JournalJson.Messages(r.GetString(2)), r.GetInt32(1), JournalJson.Sampling(r.GetString(3)), guidance);
                }
                starts[step] = (start, r.GetBoolean(10), r.IsDBNull(11) ? null : r.GetInt32(11), Time(r, 12), Time(r, 13));
            }
        }

        var completions = new Dictionary<int, List<Completion>>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT step, text, prompt_tokens, completion_tokens, finish FROM completions ORDER BY step, idx";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var step = r.GetInt32(0);
                Bucket(completions, step).Add(new Completion(r.GetString(1), r.GetInt32(2), r.GetInt32(3), JournalJson.Parse<FinishReason>(r.GetString(4)),
                    starts.GetValueOrDefault(step).Reused));
            }
        }

        var candidates = new Dictionary<int, List<CandidateRecord>>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT step, idx, completion_idx, fragment, template, rejection, detail FROM candidates ORDER BY step, idx";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                Bucket(candidates, r.GetInt32(0)).Add(new CandidateRecord(r.GetInt32(1), r.GetInt32(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : JournalJson.Parse<RejectionReason>(r.GetString(5)),
                    r.IsDBNull(6) ? null : r.GetString(6)));
        }

        var scores = new Dictionary<int, Dictionary<int, FitnessResult>>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT step, idx, score, per_class_json FROM scores ORDER BY step, idx";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var step = r.GetInt32(0);
                if (!scores.TryGetValue(step, out var s))
                    scores[step] = s = [];
                s[r.GetInt32(1)] = new FitnessResult(r.GetDouble(2), JournalJson.PerClass(r.GetString(3)));
            }
        }

        var stepIds = starts.Keys.Concat(completions.Keys).Concat(candidates.Keys).Concat(scores.Keys).Distinct().Order();
        var steps = stepIds.ToDictionary(step => step, step => new RecordedStep(
            step,
            starts.GetValueOrDefault(step).Start,
            completions.GetValueOrDefault(step),
            candidates.GetValueOrDefault(step),
            scores.GetValueOrDefault(step) ?? new Dictionary<int, FitnessResult>(),
            starts.GetValueOrDefault(step).Complete)
        {
            StartedAt = starts.GetValueOrDefault(step).StartedAt,
            CompletedAt = starts.GetValueOrDefault(step).CompletedAt,
        });

        var final = ReadFinal(connection);
        return steps.Count == 0 && final is null ? RecordedRun.Empty : new RecordedRun(steps, final);
    }

    private static DateTimeOffset? Time(SqliteDataReader r, int column) =>
        r.IsDBNull(column) ? null : DateTimeOffset.Parse(r.GetString(column), CultureInfo.InvariantCulture);

    private static FinalResult? ReadFinal(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT mode, step, score, per_class_json, ensemble_json FROM final";
        using var r = cmd.ExecuteReader();
        if (!r.Read())
            return null;
        var mode = JournalJson.Parse<SelectionMode>(r.GetString(0));
        var ensemble = JournalJson.Texts(r.GetString(4))
            .Select(t => Template.Create(t, Template.CountPlaceholders(t) == 0 ? PromptKind.FreeText : PromptKind.ClassTemplate)).ToList();
        return new FinalResult(ensemble, r.IsDBNull(1) ? null : r.GetInt32(1), new FitnessResult(r.GetDouble(2), JournalJson.PerClass(r.GetString(3))), mode);
    }

    private static List<T> Bucket<T>(Dictionary<int, List<T>> buckets, int key)
    {
        if (!buckets.TryGetValue(key, out var list))
            buckets[key] = list = [];
        return list;
    }
}
