using System.Text.Json;

namespace Uptrain.Data;

/// <summary>
/// Streams the elements of one top-level JSON array (<c>[elem, elem, ...]</c>) from a stream without
/// loading the whole document: only the element being read is buffered. Each element comes with the
/// 1-based line it starts on. Malformed JSON throws <see cref="JsonException"/>; a broken document
/// cannot be resynchronised, so reading ends there.
/// </summary>
internal sealed class JsonArrayStream
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[DataFiles.BufferSize];
    private int _length;
    private bool _endOfStream;
    private bool _started;
    private bool _finished;
    private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });

    // Line counting: _lineAtCounted is the line of the byte at _counted (an index into _buffer).
    private int _counted;
    private long _lineAtCounted = 1;

    public JsonArrayStream(Stream stream) => _stream = stream;

    /// <summary>The line the unread part of the input starts on (where an error was found, roughly).</summary>
    public long CurrentLine => _lineAtCounted;

    /// <summary>Each element's UTF-8 bytes and the line it starts on.</summary>
    public IEnumerable<(byte[] Element, long Line)> Elements()
    {
        var batch = new List<(byte[] Element, long Line)>();
        var first = true;
        while (!_finished)
        {
            var before = _length;
            Fill();
            if (first)
            {
                SkipByteOrderMark();
                first = false;
            }
            batch.Clear();
            JsonException? error = null;
            int consumed;
            try
            {
                consumed = Scan(batch);
            }
            catch (JsonException exception)
            {
                // Hand out the elements read before the broken one first.
                error = exception;
                consumed = 0;
            }
            foreach (var item in batch)
            {
                yield return item;
            }
            if (error is not null)
            {
                throw error;
            }
            if (_finished)
            {
                yield break;
            }
            if (_endOfStream && consumed == 0 && _length == before)
            {
                throw new JsonException(_started ? "The JSON array is not closed." : "The file holds no JSON array.");
            }
            Shift(consumed);
        }
    }

    private void Fill()
    {
        if (_endOfStream)
        {
            return;
        }
        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
        if (read == 0)
        {
            _endOfStream = true;
        }
        _length += read;
    }

    private void SkipByteOrderMark()
    {
        while (!_endOfStream && _length < 3)
        {
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfStream = true;
            }
            _length += read;
        }
        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            Shift(3);
        }
    }

    /// <summary>Reads every complete element in the buffer into <paramref name="batch"/>; returns the bytes used.</summary>
    private int Scan(List<(byte[] Element, long Line)> batch)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _endOfStream, _state);
        var committed = 0;
        var committedState = _state;
        while (reader.Read())
        {
            if (!_started)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("The file does not start with '['.");
                }
                _started = true;
            }
            else if (reader.CurrentDepth == 0)
            {
                // The closing ']' of the top-level array; anything after it is not read.
                _finished = true;
            }
            else
            {
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject && !reader.TrySkip())
                {
                    break; // the element continues past the buffer: read more and scan it again
                }
                batch.Add((_buffer[start..(int)reader.BytesConsumed], LineAt(start)));
            }
            committed = (int)reader.BytesConsumed;
            committedState = reader.CurrentState;
            if (_finished)
            {
                break;
            }
        }
        _state = committedState;
        return committed;
    }

    private long LineAt(int position)
    {
        if (position > _counted)
        {
            _lineAtCounted += _buffer.AsSpan(_counted, position - _counted).Count((byte)'\n');
            _counted = position;
        }
        return _lineAtCounted;
    }

    private void Shift(int consumed)
    {
        if (consumed == 0)
        {
            return;
        }
        LineAt(consumed);
        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _length - consumed);
        _length -= consumed;
        _counted -= consumed;
    }
}
