using Rewind.Checkpointing;
using Rewind.Integrators;

var problem = new OdeProblem(new LotkaVolterra(), y0: [1.0, 1.0], parameters: [1.5, 1.0, 3.0, 1.0],
                             t0: 0.0, outputTimes: [10.0]);
var solver = new Solver("dopri5", rtol: 1e-10, atol: 1e-12);   // or new Solver("rk4", dt: 0.01)
using Solution sol = solver.Solve(problem, Adjoint.Discrete(Checkpointing.StoreAll));
double[] yT = sol.State(0);                              // y at outputTimes[0]
Gradient g = sol.Backward([[yT[0] - 1.0, yT[1] - 1.0]]);  // dL/dy at each output time

// L = 0.5 ||y(10) - (1, 1)||²; its gradient with respect to y0 and the parameters.
Console.WriteLine($"y(10)  = [{string.Join(", ", yT)}]");
Console.WriteLine($"dL/dy0 = [{string.Join(", ", g.InitialState)}]");
Console.WriteLine($"dL/dp  = [{string.Join(", ", g.Parameters)}]");
Console.WriteLine($"{g.Statistics.Steps} steps, {g.Statistics.FunctionEvaluations} f evaluations, {g.Statistics.Vjps} VJPs");
