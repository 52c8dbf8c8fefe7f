namespace Glov.Runs;

/// <summary>Journal schema version 1. application_id marks the file as a glov journal.</summary>
internal static class Schema
{
    public const long ApplicationId = 0x474C4F56; // "GLOV"
    public const long Version = 1;

    /// <summary>Content fingerprints of the files a run reads (models, few-shot images); part of the
    /// manifest, added after version 1 shipped, so older journals lack it until resumed.</summary>
    public const string CreateInputs = """
        CREATE TABLE IF NOT EXISTS inputs(
            path TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL);
        """;

    /// <summary>Prompt tokens the step's proposer took from its KV cache of the step before (null where it did
    /// not say); added after version 1 shipped, so a journal from before gains the column when opened for writing.</summary>
    public const string ReusedPromptTokens = "reused_prompt_tokens";

    public const string Create = """
        CREATE TABLE run(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            config_json TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            seed TEXT NOT NULL,
            glov_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL,
            status_detail TEXT,
            updated_at TEXT NOT NULL);
        CREATE TABLE steps(
            step INTEGER PRIMARY KEY,
            count INTEGER,
            messages_json TEXT,
            sampling_json TEXT,
            guidance_positive TEXT,
            guidance_negative TEXT,
            steering_norm REAL,
            alpha REAL,
            layer INTEGER,
            steering_mode TEXT,
            started_at TEXT,
            completed_at TEXT,
            reused_prompt_tokens INTEGER);
        CREATE TABLE completions(
            step INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            finish TEXT NOT NULL,
            PRIMARY KEY (step, idx));
        CREATE TABLE candidates(
            step INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            completion_idx INTEGER NOT NULL,
            fragment TEXT NOT NULL,
            template TEXT,
            rejection TEXT,
            detail TEXT,
            PRIMARY KEY (step, idx),
            CHECK ((template IS NULL) <> (rejection IS NULL)));
        CREATE TABLE scores(
            step INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            score REAL NOT NULL,
            per_class_json TEXT NOT NULL,
            scored_at TEXT NOT NULL,
            PRIMARY KEY (step, idx),
            FOREIGN KEY (step, idx) REFERENCES candidates(step, idx));
        CREATE TABLE final(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            mode TEXT NOT NULL,
            step INTEGER,
            score REAL NOT NULL,
            per_class_json TEXT NOT NULL,
            ensemble_json TEXT NOT NULL,
            selected_at TEXT NOT NULL);
        """ + Devices;

    /// <summary>Where each engine ran, one row per engine each time the run was started or resumed (a
    /// resume may run elsewhere). Created on first use too, so journals from before it gain it.</summary>
    public const string Devices = """
        CREATE TABLE IF NOT EXISTS devices(
            engine TEXT NOT NULL,
            setting TEXT NOT NULL,
            device TEXT NOT NULL,
            reason TEXT NOT NULL,
            runtime TEXT,
            recorded_at TEXT NOT NULL);
        """;
}
