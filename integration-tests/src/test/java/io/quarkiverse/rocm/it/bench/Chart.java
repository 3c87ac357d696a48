package io.quarkiverse.rocm.it.bench;

import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/** PNG bar charts of benchmark ratios (JFreeChart, headless). */
final class Chart {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Chart() {
    }

    /** One bar per concurrency: the ratio to llama-server used directly, with a line at 1. */
    static void ratios(String file, String title, Map<Integer, Double> ratios, String machine) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        ratios.forEach((c, r) -> data.addValue(r, "ratio", c + " concurrent"));
        bars(file, title, data, machine);
    }

    /** Grouped bars: series (paths) by category (concurrency). */
    static void bars(String file, String title, DefaultCategoryDataset data, String machine) throws IOException {
        JFreeChart chart = ChartFactory.createBarChart(title, "", "x llama-server directly", data,
                PlotOrientation.VERTICAL, data.getRowCount() > 1, false, false);
        chart.addSubtitle(new TextTitle(machine));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(new ValueMarker(1.0, Color.DARK_GRAY, new java.awt.BasicStroke(1.5f)));
        plot.getRangeAxis().setLowerBound(0);
        ChartUtils.saveChartAsPNG(new File(file), chart, 900, 480);
    }
}
