namespace Glov.Core.Journal;

public enum RunStatus
{
    Running,
    Completed,
    Cancelled,
    Failed,
}
