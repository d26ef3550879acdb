using System.Collections.ObjectModel;

namespace Rewind.Networks;

/// <summary>
/// A multilayer network: <see cref="Linear"/> layers, each optionally followed by one <see cref="Activation"/>,
/// compiled into exactly one native network of librewind (a Linear without an activation is followed by the
/// identity). Its parameters are one contiguous vector, <see cref="Parameters"/>, in librewind's layout: for each
/// Linear in order, its weights W (outputs rows × inputs columns, row-major; the first layer has one more column,
/// the last, for t when the network has time input), then its biases b. <see cref="NamedParameters"/> names the
/// slices as PyTorch does (<c>"0.weight"</c>, <c>"0.bias"</c>, <c>"2.weight"</c>, … by module position), and each
/// Linear's <see cref="Linear.Weight"/> and <see cref="Linear.Bias"/> become views of the same vector.
/// </summary>
/// <example><code>
/// var net = new Sequential(new Linear(2, 64), new Tanh(), new Linear(64, 2));
/// net.Initialize(Initializer.XavierUniform(), seed: 1);
/// using NeuralVectorField field = net.AsVectorField(batch: 256);   // dy/dt = net(y), 256 rows of 2
/// var problem = new OdeProblem(field, y0, net.Parameters.ToArray(), t0: 0, outputTimes: times);
/// </code></example>
public sealed class Sequential : Module
{
    private readonly Module[] modules;
    private readonly double[] parameters;
    private readonly NamedParameter[] namedParameters;

    /// <summary>Compiles the modules into one network without time input.</summary>
    /// <param name="modules">Linear layers, each optionally followed by one activation; at least one Linear.</param>
    /// <exception cref="ArgumentException">The modules do not form such a chain (the message names the position);
    /// see <see cref="Sequential(bool, Module[])"/>.</exception>
    public Sequential(params Module[] modules)
        : this(timeInput: false, modules)
    {
    }

    /// <summary>
    /// Compiles the modules into one network. Each Linear's current parameters are copied into the network's vector
    /// (a time column starts at 0), and from then on the Linear's <see cref="Linear.Weight"/> and
    /// <see cref="Linear.Bias"/> are views of it.
    /// </summary>
    /// <param name="timeInput">Whether t is appended to the first layer's input, as a last weight column.</param>
    /// <param name="modules">Linear layers, each optionally followed by one activation; at least one Linear.</param>
    /// <exception cref="ArgumentException">No modules; a null module; an activation first or right after another
    /// activation; a Linear whose input size differs from the previous Linear's output size; a nested Sequential;
    /// a Linear that already belongs to a network (or appears twice). The message names the position (counted from 0,
    /// as in the parameter names), e.g. "layer 2 (Linear 32→2) expects 32 inputs but layer 1 (Tanh) produces 64".</exception>
    public Sequential(bool timeInput, params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        this.modules = (Module[])modules.Clone();
        (Architecture, int[] linearPositions) = Compile(this.modules, timeInput);
        CheckOwnership(this.modules, linearPositions);

        parameters = new double[Architecture.ParameterCount];
        var named = new List<NamedParameter>(2 * linearPositions.Length);
        int offset = 0;
        for (int k = 0; k < linearPositions.Length; k++)
        {
            int position = linearPositions[k];
            var linear = (Linear)this.modules[position];
            bool timeColumn = timeInput && k == 0;
            int columns = linear.InFeatures + (timeColumn ? 1 : 0);
            int count = Linear.CountParameters(linear.InFeatures, linear.OutFeatures, timeColumn)!.Value;
            Memory<double> slice = parameters.AsMemory(offset, count);
            linear.Adopt(this, slice, timeColumn);
            named.Add(new NamedParameter($"{position}.weight", offset, [linear.OutFeatures, columns], linear.Weight));
            named.Add(new NamedParameter($"{position}.bias", offset + linear.Weight.Length, [linear.OutFeatures], linear.Bias));
            offset += count;
        }

        namedParameters = [.. named];
        Modules = Array.AsReadOnly(this.modules);
        NamedParameters = Array.AsReadOnly(namedParameters);
    }

    /// <summary>The modules, in order.</summary>
    public ReadOnlyCollection<Module> Modules { get; }

    /// <summary>Whether t is appended to the first layer's input.</summary>
    public bool TimeInput => Architecture.TimeInput;

    /// <summary>The number of inputs per row (without t).</summary>
    public int InputSize => Architecture.InputSize;

    /// <summary>The number of outputs per row.</summary>
    public int OutputSize => Architecture.OutputSize;

    /// <summary>The number of Linear (dense) layers.</summary>
    public int LayerCount => Architecture.LayerCount;

    /// <summary>The sizes of the dense layers: layer k maps LayerSizes[k] inputs (plus t for k = 0 with time input) to LayerSizes[k + 1] outputs.</summary>
    public IReadOnlyList<int> LayerSizes => Architecture.Sizes;

    /// <summary>The activation after each dense layer, as librewind names it (<c>"identity"</c> where none follows).</summary>
    public IReadOnlyList<string> Activations => Architecture.Activations;

    /// <inheritdoc/>
    public override int ParameterCount => parameters.Length;

    /// <summary>The parameter vector in librewind's layout (see the class remarks); writes change the network.</summary>
    public Memory<double> Parameters => parameters;

    /// <summary>The weight and bias of every Linear, in layout order, named by module position.</summary>
    public ReadOnlyCollection<NamedParameter> NamedParameters { get; }

    /// <summary>The architecture librewind builds.</summary>
    internal NetworkArchitecture Architecture { get; }

    /// <summary>Loads a network, its architecture and its parameters, from a file written by <see cref="SaveParameters(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A new network with the file's architecture (and time input) and parameters.</returns>
    /// <exception cref="InvalidDataException">The file is not a parameter file (bad magic), has an unsupported
    /// version, is truncated, fails its checksum, or describes an invalid network.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Sequential Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Loads a network from a stream holding a parameter file (see <see cref="Load(string)"/>).</summary>
    /// <param name="stream">The stream, read to its end.</param>
    /// <returns>A new network with the file's architecture and parameters.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid parameter file.</exception>
    public static Sequential Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile file = ParameterFile.Read(stream);
        NetworkArchitecture architecture = file.Architecture;
        var built = new List<Module>();
        for (int k = 0; k < architecture.LayerCount; k++)
        {
            built.Add(new Linear(architecture.Sizes[k], architecture.Sizes[k + 1]));
            if (Activation.FromName(architecture.Activations[k]) is { } activation)
            {
                built.Add(activation);
            }
        }

        var network = new Sequential(architecture.TimeInput, [.. built]);
        file.Values.CopyTo(network.parameters);
        return network;
    }

    /// <summary>The slice of <see cref="Parameters"/> named <paramref name="name"/> (e.g. <c>"0.weight"</c>).</summary>
    /// <param name="name">One of the names of <see cref="NamedParameters"/>.</param>
    /// <returns>A view of the network's parameters.</returns>
    /// <exception cref="ArgumentException">No parameter has that name; the message lists the names.</exception>
    public Memory<double> Parameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (NamedParameter parameter in namedParameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal))
            {
                return parameter.Values;
            }
        }

        throw new ArgumentException(
            $"The network has no parameter '{name}'. Its parameters are: {string.Join(", ", namedParameters.Select(p => p.Name))}.",
            nameof(name));
    }

    /// <summary>
    /// Draws every Linear's parameters from <paramref name="random"/>, layer by layer in order (weights row by row,
    /// then biases), as <paramref name="initializer"/> says.
    /// </summary>
    /// <param name="initializer">The initialization scheme.</param>
    /// <param name="random">The source of random numbers; seed it for reproducible parameters.</param>
    public override void Initialize(Initializer initializer, Random random)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(random);
        foreach (Module module in modules)
        {
            module.Initialize(initializer, random);
        }
    }

    /// <summary>Draws the parameters from <c>new Random(seed)</c>: the same seed gives the same parameters, bit for bit.</summary>
    /// <param name="initializer">The initialization scheme.</param>
    /// <param name="seed">The seed.</param>
    public void Initialize(Initializer initializer, int seed) => Initialize(initializer, new Random(seed));

    /// <summary>
    /// Evaluates the network natively with its current <see cref="Parameters"/>: output = net(t, input) for
    /// <paramref name="batch"/> rows. Each call builds (and frees) a native network; to evaluate repeatedly, use
    /// <see cref="AsVectorField(int)"/> (square networks) or keep the calls few.
    /// </summary>
    /// <param name="input">batch × <see cref="InputSize"/> values, row-major.</param>
    /// <param name="output">Receives batch × <see cref="OutputSize"/> values, row-major.</param>
    /// <param name="batch">The number of rows; at least 1.</param>
    /// <param name="t">The time (used only with <see cref="TimeInput"/>).</param>
    /// <exception cref="ArgumentException">A span's length does not match the batch.</exception>
    public void Forward(ReadOnlySpan<double> input, Span<double> output, int batch = 1, double t = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Shapes.RequireLength(input.Length, (long)batch * InputSize, nameof(input), $"batch × InputSize = {batch} × {InputSize}");
        Shapes.RequireLength(output.Length, (long)batch * OutputSize, nameof(output), $"batch × OutputSize = {batch} × {OutputSize}");
        using NativeNetwork native = NativeNetwork.Create(Architecture, "auto");
        native.Forward(t, input, batch, parameters, output);
    }

    /// <summary>The network as the vector field dy/dt = net(t, y; p) on <paramref name="batch"/> independent rows.</summary>
    /// <param name="batch">The number of rows of the state; at least 1.</param>
    /// <returns>A new field; dispose it to free its native evaluator.</returns>
    /// <exception cref="ArgumentException">The network's input and output sizes differ.</exception>
    public NeuralVectorField AsVectorField(int batch = 1) => new(this, batch);

    /// <summary>Writes the architecture and parameters to <paramref name="path"/> in the format of <see cref="ParameterFileFormat"/>.</summary>
    /// <param name="path">The file; created or overwritten.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveParameters(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.Create(path);
        SaveParameters(stream);
    }

    /// <summary>Writes the architecture and parameters to <paramref name="stream"/> (see <see cref="ParameterFileFormat"/>).</summary>
    /// <param name="stream">A writable stream.</param>
    public void SaveParameters(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile.Write(stream, Architecture, parameters);
    }

    /// <summary>Replaces the parameters with those of a file written by <see cref="SaveParameters(string)"/> for the same architecture.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid parameter file (bad magic, unsupported version,
    /// truncated, checksum mismatch), or its network differs from this one (the message names the first difference).
    /// The parameters are unchanged then.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void LoadParameters(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        LoadParameters(stream);
    }

    /// <summary>Replaces the parameters with those of a parameter file read from <paramref name="stream"/> (see <see cref="LoadParameters(string)"/>).</summary>
    /// <param name="stream">The stream, read to its end.</param>
    /// <exception cref="InvalidDataException">The data is not a valid parameter file, or its network differs from this one.</exception>
    public void LoadParameters(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile file = ParameterFile.Read(stream);
        if (Architecture.FirstDifference(file.Architecture, "the file", "this network") is { } difference)
        {
            throw new InvalidDataException(
                $"The parameter file is for a different network: {difference}. " +
                $"File: {file.Architecture.Describe()}; this network: {Architecture.Describe()}.");
        }

        file.Values.CopyTo(parameters);
    }

    /// <summary>E.g. <c>Sequential(Linear 2→64, Tanh, Linear 64→2)</c>, with "time input" when the network has it.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"Sequential({(TimeInput ? "time input; " : string.Empty)}{string.Join(", ", modules.Select(m => m.ToString()))})";

    private static (NetworkArchitecture Architecture, int[] LinearPositions) Compile(Module[] modules, bool timeInput)
    {
        if (modules.Length == 0)
        {
            throw new ArgumentException("A Sequential needs at least one Linear layer; none was given.", nameof(modules));
        }

        var sizes = new List<int>();
        var activations = new List<string>();
        var positions = new List<int>();
        Linear? previous = null;
        for (int i = 0; i < modules.Length; i++)
        {
            switch (modules[i])
            {
                case null:
                    throw new ArgumentException($"layer {i} is null.", nameof(modules));
                case Linear linear:
                    if (previous is null)
                    {
                        sizes.Add(linear.InFeatures);
                    }
                    else if (linear.InFeatures != previous.OutFeatures)
                    {
                        throw new ArgumentException(
                            $"layer {i} ({linear}) expects {linear.InFeatures} inputs but layer {i - 1} ({modules[i - 1]}) produces {previous.OutFeatures}.",
                            nameof(modules));
                    }

                    sizes.Add(linear.OutFeatures);
                    activations.Add("identity");
                    positions.Add(i);
                    previous = linear;
                    break;
                case Activation activation:
                    if (i == 0)
                    {
                        throw new ArgumentException(
                            $"layer 0 ({activation}) is an activation with no Linear before it; a Sequential starts with a Linear.",
                            nameof(modules));
                    }

                    if (modules[i - 1] is Activation before)
                    {
                        throw new ArgumentException(
                            $"layer {i} ({activation}) follows layer {i - 1} ({before}), another activation; each Linear may be followed by at most one activation.",
                            nameof(modules));
                    }

                    activations[^1] = activation.Name;
                    break;
                case Sequential:
                    throw new ArgumentException(
                        $"layer {i} is a Sequential; nested networks are not supported: list their modules in one Sequential.",
                        nameof(modules));
                default:
                    throw new ArgumentException(
                        $"layer {i} ({modules[i]}) is neither a Linear nor an activation.", nameof(modules));
            }
        }

        return (new NetworkArchitecture([.. sizes], [.. activations], timeInput), [.. positions]);
    }

    private static void CheckOwnership(Module[] modules, int[] linearPositions)
    {
        for (int k = 0; k < linearPositions.Length; k++)
        {
            int position = linearPositions[k];
            var linear = (Linear)modules[position];
            if (linear.Owner is not null)
            {
                throw new ArgumentException(
                    $"layer {position} ({linear}) already belongs to another Sequential; a Linear's parameters live in one network. Create a new Linear.",
                    nameof(modules));
            }

            for (int j = 0; j < k; j++)
            {
                if (ReferenceEquals(modules[linearPositions[j]], linear))
                {
                    throw new ArgumentException(
                        $"layer {position} ({linear}) is the same Linear object as layer {linearPositions[j]}; each layer needs its own Linear.",
                        nameof(modules));
                }
            }
        }
    }
}
