// LibTorch works inside the real build: threads are configurable, devices resolve, and a small
// module trains (its loss falls).
// LibTorch's headers use the identifier "slots", which Qt defines as a macro: include them first.
#include <torch/torch.h>

#include <QtTest>

#include "engine/core/torch_runtime.h"

using namespace fedmrg::engine;

class TestTorchRuntime : public QObject {
  Q_OBJECT
 private slots:
  void threadsAreConfigurable() {
    QCOMPARE(configureTorchThreads(1), 1);
    QCOMPARE(torch::get_num_threads(), 1);
    const int all = configureTorchThreads(0);
    QVERIFY(all >= 1);
    QCOMPARE(torchInfo().threads, all);
    QVERIFY(!torchInfo().version.empty());
  }

  void devicesResolveOrExplain() {
    QCOMPARE(resolveDevice(ComputeDevice::Cpu), ComputeDevice::Cpu);
    const ComputeDevice automatic = resolveDevice(ComputeDevice::Auto);
    QCOMPARE(automatic, torchInfo().cudaAvailable ? ComputeDevice::Cuda : ComputeDevice::Cpu);
    if (!torchInfo().cudaAvailable) {
      try {
        resolveDevice(ComputeDevice::Cuda);
        QFAIL("cuda resolved without a GPU");
      } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("no usable CUDA"), e.what());
      }
    }
  }

  void deviceNamesParseBack() {
    for (ComputeDevice d : {ComputeDevice::Cpu, ComputeDevice::Cuda, ComputeDevice::Auto}) {
      ComputeDevice parsed = d == ComputeDevice::Cpu ? ComputeDevice::Auto : ComputeDevice::Cpu;
      QVERIFY(parseDevice(deviceName(d), &parsed));
      QCOMPARE(parsed, d);
    }
    ComputeDevice untouched = ComputeDevice::Cuda;
    QVERIFY(!parseDevice("tpu", &untouched));
    QVERIFY(!parseDevice("", &untouched));
    QVERIFY(!parseDevice("CPU", &untouched));
    QCOMPARE(untouched, ComputeDevice::Cuda);
  }

  void smallModuleTrainsAndItsLossFalls() {
    torch::manual_seed(7);
    const torch::Device device(deviceName(resolveDevice(ComputeDevice::Auto)));
    torch::nn::Sequential net(torch::nn::Linear(4, 32), torch::nn::Tanh(), torch::nn::Linear(32, 1));
    net->to(device);
    const auto x = torch::randn({64, 4}).to(device);
    const auto y = (x.select(1, 0) * x.select(1, 1) + x.select(1, 2).sin()).unsqueeze(1);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-2));
    double first = 0, last = 0;
    for (int step = 0; step < 150; ++step) {
      opt.zero_grad();
      auto loss = torch::mse_loss(net->forward(x), y);
      loss.backward();
      opt.step();
      if (step == 0) first = loss.item<double>();
      last = loss.item<double>();
    }
    QVERIFY2(last < 0.3 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
  }
};

QTEST_APPLESS_MAIN(TestTorchRuntime)
#include "tst_torch_runtime.moc"
