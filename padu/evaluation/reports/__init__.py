"""Period reports: the XLSX workbook and the PDF Laporan Evaluasi Mandiri."""
