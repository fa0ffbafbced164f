using System.Collections.Concurrent;
using System.Management.Automation;
using Uptrain.Diagnostics;

namespace Uptrain.Hosting;

/// <summary>
/// Runs long engine work on a worker thread while the pipeline thread, which alone may call the
/// cmdlet's Write* methods, drains what the worker queued: progress, verbose and warning messages,
/// record errors. Throttles progress to a few updates a second and always completes the activities it
/// showed. Ctrl+C cancels the token the work receives (also where PowerShell calls no StopProcessing);
/// the work decides where it can stop.
/// </summary>
internal sealed class BackgroundWork : IOutputWriter
{
    private readonly UptrainCmdlet _cmdlet;
    private readonly BlockingCollection<Action<PSCmdlet>> _queue = new();
    private readonly Dictionary<int, ProgressInfo> _openActivities = [];
    private readonly ConcurrentDictionary<int, ProgressInfo> _latestProgress = new();
    private readonly ProgressThrottle _throttle = new();

    // Set when the pipeline is stopping (Ctrl+C): the host refuses further output, but the pump keeps
    // waiting so that the work can finish its current step and save what it has before we return.
    private bool _pipelineStopped;

    public BackgroundWork(UptrainCmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and pumps its output on this (the pipeline)
    /// thread until it ends; returns its result or rethrows its exception.
    /// </summary>
    public T Run<T>(Func<IOutputWriter, T> work)
    {
        var task = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return work(this);
                }
                finally
                {
                    _queue.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            while (!_queue.IsCompleted)
            {
                // The pipeline thread sees the stop first; the work must hear of it even when
                // PowerShell calls no StopProcessing (see UptrainCmdlet.WatchStopping).
                if (_cmdlet.Stopping)
                {
                    _cmdlet.CancelWork();
                }
                if (_queue.TryTake(out var action, ProgressThrottle.Interval))
                {
                    Write(action);
                }
                Write(_ => FlushProgress(force: false));
            }
            Write(_ => FlushProgress(force: true));
            var result = task.GetAwaiter().GetResult();
            if (_pipelineStopped)
            {
                throw new PipelineStoppedException();
            }
            return result;
        }
        finally
        {
            CompleteActivities();
        }
    }

    /// <inheritdoc />
    public void WriteError(RecordError error) => Enqueue(c => c.WriteError(UptrainCmdlet.ToErrorRecord(error)));

    /// <inheritdoc />
    public void WriteWarning(string message) => Enqueue(c => c.WriteWarning(message));

    /// <inheritdoc />
    public void WriteVerbose(string message) => Enqueue(c => c.WriteVerbose(message));

    /// <inheritdoc />
    public void WriteProgress(ProgressInfo progress)
    {
        if (progress.Completed)
        {
            Enqueue(c => Show(c, progress));
            return;
        }
        // Only the newest state of each activity matters; the pump shows it when the interval is up.
        _latestProgress[progress.ActivityId] = progress;
    }

    private void Write(Action<PSCmdlet> action)
    {
        if (_pipelineStopped)
        {
            return;
        }
        try
        {
            action(_cmdlet);
        }
        catch (PipelineStoppedException)
        {
            _pipelineStopped = true;
            _cmdlet.CancelWork();
        }
    }

    private void Enqueue(Action<PSCmdlet> action)
    {
        try
        {
            _queue.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The pump has finished (the work ended): nothing can be shown any more.
        }
    }

    private void FlushProgress(bool force)
    {
        // Forced when the work has ended: its last state is shown whatever the interval.
        if (!_throttle.IsDue() && !force)
        {
            return;
        }
        foreach (var id in _latestProgress.Keys.Order())
        {
            if (_latestProgress.TryRemove(id, out var progress))
            {
                Show(_cmdlet, progress);
            }
        }
    }

    private void Show(PSCmdlet cmdlet, ProgressInfo progress)
    {
        if (progress.Completed)
        {
            _latestProgress.TryRemove(progress.ActivityId, out _);
            if (!_openActivities.Remove(progress.ActivityId))
            {
                return;
            }
        }
        else
        {
            _openActivities[progress.ActivityId] = progress;
        }
        cmdlet.WriteProgress(ToRecord(progress));
    }

    private void CompleteActivities()
    {
        if (_pipelineStopped)
        {
            return;
        }
        // Children first, so that hosts do not leave a child bar under a closed parent.
        foreach (var open in _openActivities.Values.OrderByDescending(p => p.ParentActivityId).ToList())
        {
            try
            {
                _cmdlet.WriteProgress(ToRecord(open with { Completed = true }));
            }
            catch (PipelineStoppedException)
            {
                break;
            }
        }
        _openActivities.Clear();
    }

    internal static ProgressRecord ToRecord(ProgressInfo progress) =>
        new(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? " " : progress.Status)
        {
            PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
            SecondsRemaining = progress.SecondsRemaining,
            ParentActivityId = progress.ParentActivityId,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
}
