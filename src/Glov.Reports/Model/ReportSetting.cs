namespace Glov.Reports.Model;

public sealed record ReportSetting(string Key, string Value);
